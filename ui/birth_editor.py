"""Newborn confirmation (出生反推): the birth certificate (read-only) beside the record to
register; the household to join (mother's, father's or a new one); the relation to the
householder derived from the mother's; possible existing registrations (twins exception);
confirm and register (入户) or reject with a reason."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFormLayout, QFrame,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from client.domain.codes import code_table
from client.domain.models import Person
from client.domain.rules import RuleContext, apply_overrides, derive_child_relation, validate_birth
from ui.error_editor import NON_BLOCKING, ReasonDialog
from ui.withdrawn_banner import WithdrawnBanner
from ui.errors import describe, show_message
from ui.findings_panel import FindingsPanel
from ui.widgets.code_combo import CodeCombo
from ui.widgets.date_field import DateField
from ui.widgets.division_picker import DivisionPicker

NEW_HOUSEHOLD = "__new__"
EDITABLE = ("name", "sex", "birth_date", "ethnicity", "hukou_type")


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def _relation_name(code: str | None) -> str:
    return code_table("relation").name(code) or (code or "?")


def _person_line(p: dict | None) -> str:
    if not p:
        return _t("未匹配到人员")
    return f"{p.get('name') or '?'} {p.get('id_number') or ''}".strip()


class BirthEditor(QWidget):
    sig_changes = Signal(object)
    """The birth was confirmed or rejected (the workspace's Changes)."""
    sig_close = Signal()
    """Back to the list."""

    def __init__(self, bg, workspace, parent=None):
        super().__init__(parent)
        self.bg, self.ws = bg, workspace
        self.task = None
        self.data: dict = {}
        self.withdrawn = WithdrawnBanner(bg, workspace, self)
        self.withdrawn.sig_changes.connect(lambda ch: (self.sig_changes.emit(ch), self.sig_close.emit()))
        self.dialog = None
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        # Left: the certificate.
        self.certificate = QLabel(self)
        self.certificate.setWordWrap(True)
        self.certificate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.certificate.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        cert_box = QGroupBox(_t("证明上的信息（只读）"), self)
        QVBoxLayout(cert_box).addWidget(self.certificate)
        # Right: the record to register.
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(_t("未取名"))
        self.sex = CodeCombo("sex", self)
        self.birth_date = DateField(self)
        self.ethnicity = CodeCombo("ethnicity", self)
        self.hukou_type = CodeCombo("hukou_type", self)
        self.ethnicity_hint = QLabel(self)
        self.ethnicity_hint.setProperty("role", "hint")
        form_box = QGroupBox(_t("待入户的个人信息（可编辑）"), self)
        form = QFormLayout(form_box)
        form.addRow(_t("姓名"), self.name)
        form.addRow(_t("性别"), self.sex)
        form.addRow(_t("出生日期"), self.birth_date)
        eth = QHBoxLayout()
        eth.addWidget(self.ethnicity, 1)
        eth.addWidget(self.ethnicity_hint)
        form.addRow(_t("民族"), eth)
        form.addRow(_t("户口性质"), self.hukou_type)
        # Household choice.
        self.household_box = QGroupBox(_t("入户"), self)
        self.household_layout = QVBoxLayout(self.household_box)
        self.household_group = QButtonGroup(self)
        self.new_place = DivisionPicker(self)
        self.new_address = QLineEdit(self)
        self.new_address.setPlaceholderText(_t("新立户的详细地址"))
        self.new_household_form = QWidget(self)
        nh = QFormLayout(self.new_household_form)
        nh.setContentsMargins(24, 0, 0, 0)
        nh.addRow(_t("户籍地"), self.new_place)
        nh.addRow(_t("详址"), self.new_address)
        self.relation = CodeCombo("relation", self)
        self.relation_hint = QLabel(self)
        self.relation_hint.setProperty("role", "hint")
        rel = QHBoxLayout()
        rel.addWidget(QLabel(_t("与户主关系"), self))
        rel.addWidget(self.relation, 1)
        rel.addWidget(self.relation_hint)
        self.members = QLabel(self)
        self.members.setWordWrap(True)
        self.members.setProperty("role", "hint")
        # Possible existing registration of the same child.
        self.matches_frame = QFrame(self)
        self.matches_frame.setObjectName("findingsPanel")
        self.matches_label = QLabel(self.matches_frame)
        self.matches_label.setWordWrap(True)
        self.twins = QCheckBox(_t("是双胞胎（多胞胎），不是重复登记"), self.matches_frame)
        self.link_button = QPushButton(_t("已登记，关联…"), self.matches_frame)
        ml = QVBoxLayout(self.matches_frame)
        ml.addWidget(self.matches_label)
        row = QHBoxLayout()
        row.addWidget(self.twins)
        row.addStretch(1)
        row.addWidget(self.link_button)
        ml.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(form_box)
        right.addWidget(self.household_box)
        right.addLayout(rel)
        right.addWidget(self.members)
        right.addWidget(self.matches_frame)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(cert_box, 2)
        columns.addLayout(right, 3)
        body = QWidget(self)
        body.setLayout(columns)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.panel = FindingsPanel(self)
        self.confirm_button = QPushButton(_t("确认入户 Ctrl+S"), self)
        self.reject_button = QPushButton(_t("退回…"), self)
        self.back_button = QPushButton(_t("返回列表 Esc"), self)
        actions = QHBoxLayout()
        for b in (self.confirm_button, self.reject_button):
            b.setAutoDefault(False)
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.withdrawn)
        layout.addWidget(self.panel)
        layout.addWidget(scroll, 1)
        layout.addLayout(actions)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.revalidate)
        self.name.textEdited.connect(lambda _t: self._timer.start())
        self.birth_date.sig_value_changed.connect(lambda _v: self._timer.start())
        for combo in (self.ethnicity, self.hukou_type, self.relation):
            combo.sig_code_changed.connect(lambda _c: self._timer.start())
        self.sex.sig_code_changed.connect(lambda _c: self._on_household_changed())
        self.household_group.buttonToggled.connect(lambda _b, on: on and self._on_household_changed())
        self.twins.toggled.connect(lambda _on: self._timer.start())
        self.new_place.sig_code_changed.connect(lambda _c: self._timer.start())
        self.link_button.clicked.connect(lambda: self.ask_reject("already_registered"))
        self.confirm_button.clicked.connect(self.confirm)
        self.reject_button.clicked.connect(lambda: self.ask_reject())
        self.back_button.clicked.connect(self.sig_close)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.confirm), ("Esc", self.sig_close.emit)):
            sc = QShortcut(QKeySequence(keys), self, activated=slot)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- loading --------------------------------------------------------------------------------

    def show_task(self, task) -> None:
        self.task = task
        self.withdrawn.show_task(task)
        self.data = data = task.data or {}
        cert = data.get("certificate") or {}
        proposed = data.get("proposed") or {}
        mother, father = data.get("mother"), data.get("father")
        self.title.setText(_t("出生反推 · 出生医学证明 {cert}").format(cert=cert.get("cert_number") or "?"))
        sex_name = {"1": _t("男"), "2": _t("女")}.get(str(cert.get("sex")), cert.get("sex") or "?")
        lines = [
            _t("新生儿：{name} · {sex} · {date} {time}").format(
                name=cert.get("name") or _t("未取名"), sex=sex_name,
                date=cert.get("birth_date") or "?", time=cert.get("birth_time") or ""),
            _t("母亲：{name} {id}  {state}").format(
                name=cert.get("mother_name") or "?", id=cert.get("mother_id_number") or "",
                state="✔ " + _t("已匹配") if mother else "✖ " + _t("未匹配")),
            _t("父亲：{name} {id}  {state}").format(
                name=cert.get("father_name") or _t("（未填）"), id=cert.get("father_id_number") or "",
                state=("✔ " + _t("已匹配")) if father else ""),
            _t("助产机构：{h}").format(h=cert.get("hospital") or "?"),
            _t("体重 {w} 克 · 身长 {l} 厘米 · 孕周 {g}").format(
                w=cert.get("weight_g") or "?", l=cert.get("length_cm") or "?",
                g=cert.get("gestation_weeks") or "?"),
            _t("签发：{date} {issuer}").format(date=cert.get("issue_date") or "?",
                                            issuer=cert.get("issuer") or ""),
        ]
        self.certificate.setText("\n".join(lines))
        self.name.setText(proposed.get("name") or "")
        self.sex.set_code(proposed.get("sex"))
        self.birth_date.set_value(proposed.get("birth_date"))
        self.ethnicity.set_code(proposed.get("ethnicity") or (mother or {}).get("ethnicity"))
        self.ethnicity_hint.setText(_t("（取自母亲）") if not proposed.get("ethnicity") and mother
                                    else "")
        self.hukou_type.set_code(proposed.get("hukou_type") or (mother or {}).get("hukou_type"))
        self._fill_households(mother, father)
        self._fill_matches()
        editable = bool(getattr(task, "editable", True))
        self.confirm_button.setEnabled(editable)
        self.reject_button.setEnabled(editable)
        self._on_household_changed()
        self.name.setFocus()

    def _fill_households(self, mother: dict | None, father: dict | None) -> None:
        for b in self.household_group.buttons():
            self.household_group.removeButton(b)
            b.hide()
            b.deleteLater()
        while self.household_layout.count():
            self.household_layout.takeAt(0)
        mother_id, father_id = (mother or {}).get("person_id"), (father or {}).get("person_id")
        preferred = None
        for h in self.data.get("households") or []:
            ids = {m.get("person_id") for m in h.get("members") or []}
            whose = _t("母亲所在户") if mother_id in ids else _t("父亲所在户") if father_id in ids \
                else _t("户")
            head = next((m for m in h.get("members") or [] if m.get("relation") in ("01", "02")), None)
            text = _t("{whose} {head}户（{n}人） {address}").format(
                whose=whose, head=(head or {}).get("name") or "", n=len(ids),
                address=h.get("address") or "")
            rb = QRadioButton(text, self.household_box)
            rb.setProperty("household_id", h.get("household_id"))
            self.household_group.addButton(rb)
            self.household_layout.addWidget(rb)
            # Preselect the mother's household (DOMAIN.md), else the first one offered.
            if preferred is None or (mother_id in ids and not preferred.property("mother")):
                preferred = rb
            rb.setProperty("mother", mother_id in ids)
        new = QRadioButton(_t("新立户"), self.household_box)
        new.setProperty("household_id", NEW_HOUSEHOLD)
        self.household_group.addButton(new)
        self.household_layout.addWidget(new)
        self.household_layout.addWidget(self.new_household_form)
        (preferred or new).setChecked(True)

    def _fill_matches(self) -> None:
        matches = self.data.get("matches") or []
        self.matches_frame.setVisible(bool(matches))
        self.twins.setChecked(False)
        if matches:
            names = "、".join(f"{m.get('name') or '?'}（{m.get('birth_date') or '?'}）" for m in matches)
            self.matches_label.setText("⚠ " + _t("已有同一母亲、同日出生的子女：{names}。是双胞胎吗？"
                                                 "如果就是这个孩子，请选择「已登记，关联」。").format(names=names))

    # -- the chosen household and relation -------------------------------------------------------

    def household_id(self) -> str | None:
        b = self.household_group.checkedButton()
        return b.property("household_id") if b is not None else None

    def household(self) -> dict | None:
        hid = self.household_id()
        return next((h for h in self.data.get("households") or [] if h.get("household_id") == hid),
                    None)

    def _on_household_changed(self) -> None:
        h = self.household()
        self.new_household_form.setVisible(self.household_id() == NEW_HOUSEHOLD)
        mother = self.data.get("mother") or {}
        members = (h or {}).get("members") or []
        in_house = next((m for m in members if m.get("person_id") == mother.get("person_id")), None)
        derived = derive_child_relation((in_house or {}).get("relation"), self.sex.code()) \
            if in_house else None
        if derived:
            self.relation.set_code(derived)
            self.relation_hint.setText(_t("（由母亲关系「{rel}」推出，可修改）").format(
                rel=_relation_name(in_house.get("relation"))))
        else:
            self.relation_hint.setText(_t("（请选择）"))
        self.members.setText(_t("户成员：{m}").format(m=" · ".join(
            f"{m.get('name') or '?'} {_relation_name(m.get('relation'))}" for m in members))
            if members else "")
        self.revalidate()

    # -- validation and actions -----------------------------------------------------------------

    def person(self) -> dict:
        proposed = {k: v for k, v in (self.data.get("proposed") or {}).items()
                    if k not in ("person_id", "household_id")}
        values = {"name": self.name.text().strip() or None, "sex": self.sex.code(),
                  "birth_date": self.birth_date.value(), "ethnicity": self.ethnicity.code(),
                  "hukou_type": self.hukou_type.code(), "relation": self.relation.code()}
        return {k: v for k, v in {**proposed, **values}.items() if v is not None}

    def changes(self) -> dict:
        proposed = self.data.get("proposed") or {}
        return {k: v for k, v in self.person().items()
                if k in EDITABLE and proposed.get(k) != v}

    def revalidate(self) -> list:
        self._timer.stop()
        if self.task is None:
            return []
        h = self.household()
        person = dict(self.person())
        place = (h or {}).get("place") or self.new_place.code()
        if place:
            person.setdefault("hukou_place", place)
            person.setdefault("residence_place", place)
        d = self.data
        ctx = RuleContext(today=getattr(self.ws, "today", None),
                          household=[Person.from_dict(m) for m in (h or {}).get("members") or []],
                          mother=Person.from_dict(d["mother"]) if d.get("mother") else None,
                          father=Person.from_dict(d["father"]) if d.get("father") else None,
                          certificate=d.get("certificate"), twins_confirmed=self.twins.isChecked(),
                          birth=True)
        findings = validate_birth(d.get("certificate") or {}, Person.from_dict(person), ctx)
        self.panel.set_findings(findings)
        return findings

    def confirm(self) -> None:
        if self.task is None or not self.confirm_button.isEnabled():
            return
        new_household = None
        household_id = self.household_id()
        if household_id == NEW_HOUSEHOLD:
            if not self.new_place.code() or not self.new_address.text().strip():
                show_message(_t("新立户需要填写户籍地和详细地址。"), parent=self)
                return
            household_id = None
            new_household = {"place": self.new_place.code(),
                             "address": self.new_address.text().strip()}
        findings = [f for f in self.revalidate() if f.code not in NON_BLOCKING]
        verdict = apply_overrides(findings, self.panel.overrides())
        if verdict.errors:
            show_message(_t("还有 {n} 个错误需要改正后才能入户。").format(n=len(verdict.errors)),
                         parent=self)
            return
        if verdict.unexplained_warnings:
            show_message(_t("有 {n} 个提醒需要确认：请在提醒旁填写原因。").format(
                n=len(verdict.unexplained_warnings)), parent=self)
            return
        if not self.relation.code():
            show_message(_t("请选择与户主的关系。"), parent=self)
            self.relation.setFocus()
            return
        self._run(self.ws.confirm_birth, self.task.id, self.changes(), household_id,
                  self.relation.code(), new_household=new_household,
                  twins_confirmed=self.twins.isChecked(), overrides=self.panel.overrides())

    def ask_reject(self, preset: str | None = None) -> None:
        if self.task is None or not self.reject_button.isEnabled():
            return
        choices = [("not_local", _t("不在本辖区居住")),
                   ("already_registered", _t("已登记（选择已登记的人员）")),
                   ("wrong_data", _t("证明信息有误"))]
        self.dialog = ReasonDialog(_t("退回出生信息"), _t("请选择退回原因："), self, choices=choices,
                                   required=False)
        matches = self.data.get("matches") or []
        self.existing = QComboBox(self.dialog)
        for m in matches:
            self.existing.addItem(f"{m.get('name') or '?'} {m.get('birth_date') or ''} "
                                  f"{m.get('id_number') or ''}", m.get("person_id"))
        self.dialog.layout().insertWidget(4, self.existing)
        self.existing.setVisible(bool(matches))
        if preset:
            self.dialog.choice_buttons[preset].setChecked(True)
        self.dialog.sig_reason.connect(self._reject)
        self.dialog.open()

    def _reject(self, reason: str, note: str) -> None:
        existing = self.existing.currentData() if reason == "already_registered" else None
        if reason == "already_registered" and not existing:
            show_message(_t("没有可关联的已登记人员，请选择其他原因。"), parent=self)
            return
        self._run(self.ws.reject_birth, self.task.id, reason, note, existing)

    def _run(self, fn, *args, **kwargs) -> None:
        self.confirm_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.bg.db(fn, *args, name=fn.__name__, on_result=self._done, on_error=self._failed, **kwargs)

    def _done(self, changes) -> None:
        self.sig_changes.emit(changes)
        self.sig_close.emit()

    def _failed(self, exc: BaseException) -> None:
        self.confirm_button.setEnabled(True)
        self.reject_button.setEnabled(True)
        findings = getattr(exc, "findings", None)
        if callable(findings):
            self.panel.set_findings(findings())
        show_message(getattr(exc, "message", None) or describe(exc).text, parent=self)
