"""A combo box over one code table (ethnicity, relation, marital status, ...) with type-ahead.

The worker types a code ("01"), a name ("汉族", or "Han" in the English UI) or part of it ("汉");
the value is always the standard code string. Names are shown in the UI's language (ui.code_names). A code that is not in the table is kept and shown as such, never dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from client.domain.codes import CodeTable, code_table
from ui.code_names import translated

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def _label(code: str, name: str) -> str:
    return f"{code} {name}"


class CodeCombo(QComboBox):
    """Editable combo whose value is a code of `table` (None when empty)."""

    sig_code_changed = Signal(object)
    """The chosen code changed (str, or None when cleared)."""

    def __init__(self, table: str | CodeTable, parent: QWidget | None = None,
                 short_names: dict[str, str] | None = None):
        super().__init__(parent)
        self.table = code_table(table) if isinstance(table, str) else table
        self._short = short_names or {}
        self._code: str | None = None
        self._extra_row: int | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        model = self._items = QStandardItemModel(self)
        empty = QStandardItem("")
        empty.setData(None, CODE_ROLE)
        model.appendRow(empty)
        for e in self.table.entries():
            item = QStandardItem(_label(e.code, self._short.get(e.code) or translated(e.name)))
            item.setData(e.code, CODE_ROLE)
            item.setToolTip(e.name)
            model.appendRow(item)
        self.setModel(model)
        completer = QCompleter(model, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        edit = self.lineEdit()
        assert edit is not None  # an editable combo box has its line edit
        edit.setPlaceholderText(QCoreApplication.translate("CodeCombo", "输入代码或名称"))
        self.activated.connect(self._on_activated)
        completer.activated.connect(self._on_completed)  # the activated(QString) overload
        edit.editingFinished.connect(self._resolve_typed)
        self.setCurrentIndex(0)

    # -- value ----------------------------------------------------------------------------------

    def code(self) -> str | None:
        return self._code

    def set_code(self, code: str | None, emit: bool = False) -> None:
        code = (str(code).strip() or None) if code is not None else None
        row = self._row_of(code)
        if row is None and code is not None:
            row = self._unknown_row(code)
        self._remove_extra(keep=row)
        self.blockSignals(True)
        self.setCurrentIndex(row if row is not None else 0)
        self.blockSignals(False)
        changed = code != self._code
        self._code = code
        if emit and changed:
            self.sig_code_changed.emit(code)

    def name(self) -> str | None:
        return self.table.name(self._code)

    # -- internals ------------------------------------------------------------------------------

    def _row_of(self, code: str | None) -> int | None:
        model = self.model()
        for row in range(model.rowCount()):
            if model.index(row, 0).data(CODE_ROLE) == code:
                return row
        return None

    def _unknown_row(self, code: str) -> int:
        # Keep a value that is not in the table visible; the rule engine reports it.
        text = QCoreApplication.translate("CodeCombo", "{code}（不在代码表中）").format(code=code)
        item = QStandardItem(text)
        item.setData(code, CODE_ROLE)
        self._items.appendRow(item)
        self._extra_row = self._items.rowCount() - 1
        return self._extra_row

    def _remove_extra(self, keep: int | None) -> None:
        if self._extra_row is not None and self._extra_row != keep:
            self._items.removeRow(self._extra_row)
            self._extra_row = None

    def _set_from_user(self, code: str | None) -> None:
        if code != self._code:
            self.set_code(code)
            self.sig_code_changed.emit(code)
        else:
            self.set_code(code)

    def _on_activated(self, row: int) -> None:
        self._set_from_user(self.model().index(row, 0).data(CODE_ROLE))

    def _on_completed(self, text: str) -> None:
        self._resolve_text(text)

    def _resolve_typed(self) -> None:
        edit = self.lineEdit()
        if edit is not None:
            self._resolve_text(edit.text())

    def _resolve_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._set_from_user(None)
            return
        for row in range(self.model().rowCount()):
            if self.model().index(row, 0).data() == text:
                self._set_from_user(self.model().index(row, 0).data(CODE_ROLE))
                return
        head = text.split()[0]
        entry = self.table.get(head) or self.table.lookup_name(text) or self.table.lookup_name(head)
        code = entry.code if entry else self.table.normalize_code(head)
        if code is None:
            # The name as shown (translated: "Han" in the English UI), then type-ahead: a unique
            # entry whose name, Chinese or shown, contains what was typed.
            folded = text.casefold()
            shown = {e.code: translated(e.name).casefold() for e in self.table.entries()}
            exact = [c for c, n in shown.items() if n == folded]
            hits = exact or [e.code for e in self.table.entries() if text in e.name or folded in shown[e.code]]
            code = hits[0] if len(hits) == 1 else None
        if code is not None:
            self._set_from_user(code)
        else:
            # Not a code or a name: go back to the last valid value instead of guessing.
            self.set_code(self._code)

