"""The list of rule findings above a form: errors (red ✖), warnings (amber ▲) with a place for
the reason that overrides them, information (ℹ); each line can jump to its field."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from client.domain.models import Finding
from ui.messages import finding_text
from ui.widgets.layouts import clear_layout

ICONS = {"E": "✖", "W": "▲", "I": "ℹ"}
ROLES = {"E": "error", "W": "warning", "I": "hint"}


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class FindingsPanel(QFrame):
    """Shows findings; keeps the worker's override reasons per warning code across refreshes."""

    sig_jump_to_field = Signal(str)
    """The worker asked to go to the field of a finding."""

    sig_reasons_changed = Signal()
    """An override reason was typed or cleared."""

    sig_explain = Signal(list)
    """The worker asked what a finding's rule means (argument: [rule code])."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("findingsPanel")
        self._reasons: dict[str, str] = {}
        self._reason_edits: dict[str, QLineEdit] = {}
        self._findings: list[Finding] = []
        self.title = QLabel(self)
        self.title.setObjectName("findingsTitle")
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.grid_host)
        self.set_findings([])

    # -- state ----------------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def overrides(self) -> dict[str, str]:
        """Reasons for the warnings currently shown (only non-blank ones)."""
        shown = {f.code for f in self._findings if f.severity == "W"}
        return {c: r.strip() for c, r in self._reasons.items() if c in shown and r.strip()}

    def set_reason(self, code: str, reason: str) -> None:
        self._reasons[code] = reason
        edit = self._reason_edits.get(code)
        if edit is not None and edit.text() != reason:
            edit.setText(reason)

    def clear_reasons(self) -> None:
        """Forget every reason (another case is shown)."""
        for code in list(self._reasons):
            self.set_reason(code, "")
        self._reasons.clear()

    def reason_edit(self, code: str) -> QLineEdit | None:
        return self._reason_edits.get(code)

    def set_findings(self, findings: list[Finding]) -> None:
        order = {"E": 0, "W": 1, "I": 2}
        self._findings = sorted(findings, key=lambda f: order.get(f.severity, 3))
        clear_layout(self.grid)
        self._reason_edits.clear()
        n_err = sum(f.severity == "E" for f in self._findings)
        n_warn = sum(f.severity == "W" for f in self._findings)
        if not self._findings:
            self.title.setText("✔ " + _t("未发现问题"))
            self.title.setProperty("role", "ok")
        else:
            self.title.setText(_t("本条记录的问题：错误 {e} 条，提醒 {w} 条").format(e=n_err, w=n_warn))
            self.title.setProperty("role", "error" if n_err else "warning")
        self._repolish(self.title)
        seen_warning_codes: set[str] = set()
        for row, f in enumerate(self._findings):
            icon = QLabel(ICONS.get(f.severity, "•"), self.grid_host)
            text = QLabel(finding_text(f), self.grid_host)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            for w in (icon, text):
                w.setProperty("role", ROLES.get(f.severity, "hint"))
            self.grid.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(text, row, 1)
            explain = QPushButton("?", self.grid_host)
            explain.setObjectName(f"explain_{f.code}")
            explain.setFlat(True)
            explain.setAutoDefault(False)
            explain.setToolTip(_t("这条规则是什么意思（F1）"))
            explain.clicked.connect(lambda _=False, code=f.code: self.sig_explain.emit([code]))
            self.grid.addWidget(explain, row, 4, Qt.AlignmentFlag.AlignTop)
            if f.fields:
                jump = QPushButton(_t("跳到字段"), self.grid_host)
                jump.setFlat(True)
                jump.setAutoDefault(False)
                jump.setCursor(Qt.CursorShape.PointingHandCursor)
                jump.clicked.connect(lambda _=False, fld=f.fields[0]: self.sig_jump_to_field.emit(fld))
                self.grid.addWidget(jump, row, 2, Qt.AlignmentFlag.AlignTop)
            if f.severity == "W" and f.code not in seen_warning_codes:
                seen_warning_codes.add(f.code)
                edit = QLineEdit(self._reasons.get(f.code, ""), self.grid_host)
                edit.setPlaceholderText(_t("确认无误请填写原因"))
                edit.setMinimumWidth(180)
                edit.textEdited.connect(lambda text, code=f.code: self._on_reason(code, text))
                self._reason_edits[f.code] = edit
                self.grid.addWidget(edit, row, 3, Qt.AlignmentFlag.AlignTop)

    def _on_reason(self, code: str, text: str) -> None:
        self._reasons[code] = text
        self.sig_reasons_changed.emit()

    @staticmethod
    def _repolish(w: QWidget) -> None:
        w.style().unpolish(w)
        w.style().polish(w)
