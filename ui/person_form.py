"""The person form: every editable field of a person record, with rule findings shown at their
fields (errors red, warnings amber), re-validated as the worker types (debounced), changed fields
marked against the original, and one-click fixes where a rule knows the answer (按证号改正)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractScrollArea, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.models import Finding, Person
from client.domain.rules import RuleConfig, RuleContext, validate_person
from ui.code_names import display_value
from ui.messages import finding_text
from ui.widgets.code_combo import CodeCombo
from ui.widgets.date_field import DateField
from ui.widgets.division_picker import DivisionPicker
from ui.widgets.id_field import IdNumberField

CTX = "PersonForm"
VALIDATE_DELAY_MS = 250

# (group title, [(field, label, kind, option)]) ; kind: text | code | date | id | place
LAYOUT: list[tuple[str, list[tuple[str, str, str, Any]]]] = [
    (QT_TRANSLATE_NOOP("", "基本信息"), [
        ("name", QT_TRANSLATE_NOOP("", "姓名"), "text", None),
        ("former_name", QT_TRANSLATE_NOOP("", "曾用名"), "text", None),
        ("sex", QT_TRANSLATE_NOOP("", "性别"), "code", "sex"),
        ("birth_date", QT_TRANSLATE_NOOP("", "出生日期"), "date", None),
        ("ethnicity", QT_TRANSLATE_NOOP("", "民族"), "code", "ethnicity"),
        ("relation", QT_TRANSLATE_NOOP("", "与户主关系"), "code", "relation"),
    ]),
    (QT_TRANSLATE_NOOP("", "证件"), [
        ("id_type", QT_TRANSLATE_NOOP("", "证件类型"), "code", "id_type"),
        ("id_number", QT_TRANSLATE_NOOP("", "身份证号"), "id", None),
        ("id_missing_reason", QT_TRANSLATE_NOOP("", "无证号原因"), "text", None),
        ("birth_cert_number", QT_TRANSLATE_NOOP("", "出生医学证明"), "text", None),
    ]),
    (QT_TRANSLATE_NOOP("", "户籍与居住"), [
        ("hukou_type", QT_TRANSLATE_NOOP("", "户口性质"), "code", "hukou_type"),
        ("hukou_place", QT_TRANSLATE_NOOP("", "户籍地"), "place", None),
        ("hukou_address", QT_TRANSLATE_NOOP("", "户籍详址"), "text", None),
        ("residence_place", QT_TRANSLATE_NOOP("", "现居住地"), "place", None),
        ("residence_address", QT_TRANSLATE_NOOP("", "居住详址"), "text", None),
    ]),
    (QT_TRANSLATE_NOOP("", "婚姻与文化"), [
        ("marital_status", QT_TRANSLATE_NOOP("", "婚姻状况"), "code", "marital"),
        ("first_marriage_date", QT_TRANSLATE_NOOP("", "初婚日期"), "date", None),
        ("marital_change_date", QT_TRANSLATE_NOOP("", "婚姻变动日期"), "date", None),
        ("education", QT_TRANSLATE_NOOP("", "文化程度"), "code", "education_2006"),
        ("death_date", QT_TRANSLATE_NOOP("", "死亡日期"), "date", None),
    ]),
    (QT_TRANSLATE_NOOP("", "亲属"), [
        ("spouse_name", QT_TRANSLATE_NOOP("", "配偶姓名"), "text", None),
        ("spouse_id_number", QT_TRANSLATE_NOOP("", "配偶证号"), "text", None),
        ("father_name", QT_TRANSLATE_NOOP("", "父亲姓名"), "text", None),
        ("father_id_number", QT_TRANSLATE_NOOP("", "父亲证号"), "text", None),
        ("mother_name", QT_TRANSLATE_NOOP("", "母亲姓名"), "text", None),
        ("mother_id_number", QT_TRANSLATE_NOOP("", "母亲证号"), "text", None),
    ]),
]
FORM_FIELDS = [f for _, rows in LAYOUT for f, *_ in rows]
FIELD_LABELS = {f: label for _, rows in LAYOUT for f, label, *_ in rows}
# Person fields not on the form that other screens show (疑似重复 compares whole records).
FIELD_LABELS.update({
    "person_id": QT_TRANSLATE_NOOP("", "人员编号"),
    "household_id": QT_TRANSLATE_NOOP("", "户号"),
    "nationality": QT_TRANSLATE_NOOP("", "国籍"),
    "managing_place": QT_TRANSLATE_NOOP("", "管理地"),
    "education_system": QT_TRANSLATE_NOOP("", "文化程度代码表"),
    "status": QT_TRANSLATE_NOOP("", "人员状态"),
    "close_reason": QT_TRANSLATE_NOOP("", "注销原因"),
    "data_source": QT_TRANSLATE_NOOP("", "数据来源"),
    "registering_unit": QT_TRANSLATE_NOOP("", "登记单位"),
    "operator": QT_TRANSLATE_NOOP("", "操作人"),
    "registered_at": QT_TRANSLATE_NOOP("", "登记时间"),
    "updated_at": QT_TRANSLATE_NOOP("", "更新时间"),
})
# Rules that know the right value: the ID number decides birth date and sex.
ID_FIXES = {"ID_BIRTH_MISMATCH": "birth_date", "ID_SEX_MISMATCH": "sex"}


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def field_label(name: str) -> str:
    """The field's caption in the worker's language (the field name if it is not on the form)."""
    return _t(FIELD_LABELS[name]) if name in FIELD_LABELS else name


def change_text(name: str, change: dict) -> str:
    """One saved change in words: "民族 01 汉族 → 02 蒙古族" (places by name)."""
    return f"{field_label(name)} {display_value(name, change.get('from'))} → {display_value(name, change.get('to'))}"


class FieldRow(QWidget):
    """One field: its editor, the finding line under it, and an optional fix button."""

    def __init__(self, name: str, kind: str, option: Any, on_change: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.name, self.kind = name, kind
        self.editor: QWidget  # the field's editor, of the kind's widget class
        self.id_field: IdNumberField | None = None  # the editor of an "id" field
        line: QLineEdit | None  # the text the worker types, where Enter moves on (not a picker's)
        self._styled: QWidget  # what a finding colours
        self._get: Callable[[], str | None]
        self._set: Callable[[str | None], None]
        if kind == "code":
            combo = CodeCombo(option, self)
            combo.sig_code_changed.connect(lambda _c: on_change())
            self.editor = self._styled = combo
            line, self._get, self._set = combo.lineEdit(), combo.code, combo.set_code
        elif kind == "date":
            date = DateField(self)
            date.sig_value_changed.connect(lambda _v: on_change())
            self.editor = self._styled = line = date
            self._get, self._set = date.value, date.set_value
        elif kind == "id":
            id_field = self.editor = self.id_field = IdNumberField(self)
            id_field.sig_changed.connect(lambda _v: on_change())
            self._styled = line = id_field.edit
            self._get, self._set = id_field.value, id_field.set_value
        elif kind == "place":
            picker = self.editor = DivisionPicker(self)
            picker.sig_code_changed.connect(lambda _c: on_change())
            self._styled, line = picker.display, None
            self._get, self._set = picker.code, picker.set_code
        else:
            text = self.editor = self._styled = line = QLineEdit(self)
            text.textEdited.connect(lambda _t: on_change())
            self._get = lambda: text.text().strip() or None
            self._set = lambda value: text.setText(value or "")
        self.editor.setObjectName(f"field_{name}")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        # A long rule message wraps under the field instead of widening the whole form.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.hide()
        self.fix_button = QPushButton(self)
        self.fix_button.setAutoDefault(False)
        self.fix_button.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.editor, 1)
        top.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addLayout(top)
        layout.addWidget(self.message)
        self.setFocusProxy(self.editor)
        self.original: str | None = None
        self.line = line
        # Keyboard first: Enter in a field moves on to the next one, as on paper forms.
        if line is not None:
            line.returnPressed.connect(lambda: self.window().focusNextChild())

    def value(self) -> str | None:
        return self._get()

    def set_value(self, value: str | None) -> None:
        self._set(value)

    def editor_height(self) -> int:
        """The editor's own height (an ID field's line, not the status line under it)."""
        return (self.id_field.edit if self.id_field is not None else self.editor).sizeHint().height()

    def show_findings(self, findings: list[Finding], primary: bool) -> None:
        worst = "error" if any(f.severity == "E" for f in findings) else \
            "warning" if any(f.severity == "W" for f in findings) else ""
        target = self._styled
        target.setProperty("finding", worst)
        texts = [("✖ " if f.severity == "E" else "▲ " if f.severity == "W" else "ℹ ")
                 + finding_text(f) for f in findings] if primary else []
        self.message.setText("\n".join(texts))
        self.message.setProperty("role", worst or "hint")
        self.message.setVisible(bool(texts))
        for w in (target, self.message):
            w.style().unpolish(w)
            w.style().polish(w)

    def show_severity(self, findings: list[Finding]) -> None:
        worst = "error" if any(f.severity == "E" for f in findings) else \
            "warning" if any(f.severity == "W" for f in findings) else ""
        target = self._styled
        target.setProperty("finding", worst)
        target.style().unpolish(target)
        target.style().polish(target)

    def mark_changed(self) -> bool:
        changed = self.value() != self.original
        target = self._styled
        target.setProperty("changed", "true" if changed else "false")
        target.setToolTip(_t("原值：{value}").format(value=self.original or _t("（空）"))
                          if changed else "")
        target.style().unpolish(target)
        target.style().polish(target)
        return changed


class PersonForm(QWidget):
    """Edits one Person; `person()` gives the edited record, `changes()` the differences."""

    sig_edited = Signal()
    """The worker changed a field."""

    sig_validated = Signal(list)
    """Validation finished (argument: the list of Findings)."""

    def __init__(self, parent: QWidget | None = None, config: RuleConfig | None = None,
                 read_only_fields: tuple[str, ...] = ()):
        super().__init__(parent)
        self.config = config or RuleConfig()
        self.context = RuleContext()
        self._original = Person()
        self._findings: list[Finding] = []
        self._loading = False
        self.rows: dict[str, FieldRow] = {}
        self.captions: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        self.grid = grid
        self.boxes: list[QGroupBox] = []
        self.columns = 0
        self._viewport: QWidget | None = None
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (title, fields) in enumerate(LAYOUT):
            box = QGroupBox(_t(title), self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            # A caption stands beside its editor, not centred on the editor and the finding
            # line under it (issue 15.7): top-aligned, as tall as the editor (_align_captions).
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            for name, label, kind, option in fields:
                row = FieldRow(name, kind, option, self._on_field_changed, box)
                self.rows[name] = row
                caption = QLabel(_t(label), box)
                caption.setBuddy(row.editor)
                caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.captions[name] = caption
                form.addRow(caption, row)
            self.boxes.append(box)
        for name in read_only_fields:
            self.rows[name].editor.setEnabled(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.revalidate)
        self._setup_fix_buttons()
        self.arrange(2)
        self._align_captions()

    def arrange(self, columns: int) -> None:
        """The sections side by side in two columns (the last spans both), or one under the
        other when two do not fit (large font, a small screen): never cut off at the right."""
        if columns == self.columns:
            return
        self.columns = columns
        for box in self.boxes:
            self.grid.removeWidget(box)
        for i, box in enumerate(self.boxes):
            if columns == 2:
                last = i == len(self.boxes) - 1 and i % 2 == 0
                self.grid.addWidget(box, i // 2, i % 2, 1, 2 if last else 1)
            else:
                self.grid.addWidget(box, i, 0)

    def two_columns_width(self) -> int:
        pairs = [self.boxes[i:i + 2] for i in range(0, len(self.boxes) - 1, 2)]
        left = max(p[0].minimumSizeHint().width() for p in pairs)
        right = max(p[1].minimumSizeHint().width() for p in pairs if len(p) > 1)
        return left + right + max(0, self.grid.horizontalSpacing())

    def _fit_columns(self) -> None:
        """Two columns when they fit in the scroll area's viewport around the form."""
        if self._viewport is None:
            return
        offset = self.mapTo(self._viewport, QPoint(0, 0)).x()
        room = self._viewport.width() - 2 * max(0, offset)
        self.arrange(2 if room >= self.two_columns_width() else 1)

    def showEvent(self, event) -> None:
        if self._viewport is None:
            parent = self.parentWidget()
            while parent is not None and not isinstance(parent, QAbstractScrollArea):
                parent = parent.parentWidget()
            if parent is not None:
                self._viewport = parent.viewport()
                self._viewport.installEventFilter(self)
        self._fit_columns()
        super().showEvent(event)

    def eventFilter(self, obj, event) -> bool:
        if obj is self._viewport and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(obj, event)

    def _align_captions(self) -> None:
        for name, caption in self.captions.items():
            row = self.rows[name]
            caption.setFixedHeight(row.editor_height())

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._align_captions)  # after the editors' new font
            QTimer.singleShot(0, self, self._fit_columns)
        super().changeEvent(event)

    # -- loading and reading --------------------------------------------------------------------

    def set_person(self, person: Person, context: RuleContext | None = None) -> None:
        """Load a record; it becomes the original that changes are measured against."""
        self._loading = True
        try:
            self._original = person
            self.context = context or RuleContext()
            for name, row in self.rows.items():
                row.original = person.get(name)
                row.set_value(row.original)
        finally:
            self._loading = False
        self.revalidate()

    def person(self) -> Person:
        values = {name: row.value() for name, row in self.rows.items()}
        return self._original.replace(**values)

    def changes(self) -> dict[str, dict[str, str | None]]:
        """{field: {"from": original, "to": edited}} for every changed field."""
        out = {}
        for name, row in self.rows.items():
            value = row.value()
            if value != row.original:
                out[name] = {"from": row.original, "to": value}
        return out

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def focus_field(self, name: str) -> bool:
        row = self.rows.get(name)
        if row is None:
            return False
        row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- validation -----------------------------------------------------------------------------

    def _on_field_changed(self) -> None:
        if self._loading:
            return
        self._sync_id_expectations()
        for row in self.rows.values():
            row.mark_changed()
        self.sig_edited.emit()
        self._timer.start()  # debounce: validate once the worker pauses

    def _id_field(self) -> IdNumberField:
        field = self.rows["id_number"].id_field
        assert field is not None  # LAYOUT: id_number is an "id" field
        return field

    def _sync_id_expectations(self) -> None:
        self._id_field().set_expected(self.rows["birth_date"].value(),
                                                   self.rows["sex"].value())

    def revalidate(self) -> list[Finding]:
        """Validate now (also called by the debounce timer)."""
        self._timer.stop()
        self._sync_id_expectations()
        self._findings = self.validate(self.person())
        by_field: dict[str, list[tuple[Finding, bool]]] = {}
        for f in self._findings:
            shown = [fld for fld in f.fields if fld in self.rows]
            for k, fld in enumerate(shown):
                by_field.setdefault(fld, []).append((f, k == 0))
        for name, row in self.rows.items():
            items = by_field.get(name, [])
            primary = [f for f, first in items if first]
            secondary = [f for f, first in items if not first]
            if primary:
                row.show_findings(primary, primary=True)
                if secondary:  # highlight as the worst of both, text only for its own findings
                    row.show_severity(primary + secondary)
            else:
                row.show_findings(secondary, primary=False)
            row.mark_changed()
        self._update_fix_buttons()
        self.sig_validated.emit(self._findings)
        return self._findings

    def validate(self, person: Person) -> list[Finding]:
        """The findings shown at the fields; screens with more context (births) override it."""
        return validate_person(person, self.context, self.config)

    def flush(self) -> list[Finding]:
        """Validate now if an edit is waiting for the debounce (before saving)."""
        return self.revalidate() if self._timer.isActive() else self._findings

    # -- one-click fixes ------------------------------------------------------------------------

    def _setup_fix_buttons(self) -> None:
        for field in ID_FIXES.values():
            btn = self.rows[field].fix_button
            btn.setText(_t("按证号改正"))
            btn.setToolTip(_t("改为身份证号码中的值"))
            btn.clicked.connect(lambda _=False, f=field: self.apply_id_fix(f))

    def _id_values(self) -> dict[str, str]:
        check = self._id_field().check()
        if not check.valid:
            return {}
        out = {}
        if check.birth_date:
            out["birth_date"] = check.birth_date.isoformat()
        if check.sex in (1, 2):
            out["sex"] = str(check.sex)
        return out

    def _update_fix_buttons(self) -> None:
        codes = {f.code for f in self._findings}
        known = self._id_values()
        for code, field in ID_FIXES.items():
            self.rows[field].fix_button.setVisible(code in codes and field in known)

    def apply_id_fix(self, field: str) -> bool:
        value = self._id_values().get(field)
        if value is None:
            return False
        self.rows[field].set_value(value)
        self._on_field_changed()
        self.revalidate()
        return True
