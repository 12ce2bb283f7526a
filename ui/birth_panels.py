"""The panels of the newborn screen: the birth certificate as it came (read-only, with how each
parent was matched), the household choice (offered households, or a new one with its place and
address; the relation hint and the members), and the 退回 dialog."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialogButtonBox, QFormLayout, QGroupBox,
                               QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from client.domain.divisions import division_tree
from client.domain.idnumber import check_id_number
from client.domain.newborn import ChildRelation
from ui.code_names import code_name as translated_code_name
from ui.error_editor import ReasonDialog
from ui.widgets.division_picker import DivisionPicker

NEW_HOUSEHOLD = "__new__"
HEAD_RELATIONS = ("01", "02")
REJECT_REASONS = (("not_local", QT_TRANSLATE_NOOP("", "不在本辖区（不在本乡镇/街道居住或落户）")),
                  ("already_registered", QT_TRANSLATE_NOOP("", "已登记（这个孩子已有户籍记录）")),
                  ("wrong_data", QT_TRANSLATE_NOOP("", "信息有误（出生医学证明的信息不对）")))
CERT_ROWS = (("cert_number", QT_TRANSLATE_NOOP("", "证明编号")),
             ("child", QT_TRANSLATE_NOOP("", "新生儿")),
             ("born", QT_TRANSLATE_NOOP("", "出生时间")),
             ("birthplace", QT_TRANSLATE_NOOP("", "出生地点")),
             ("measures", QT_TRANSLATE_NOOP("", "体重 · 身长 · 孕周")),
             ("mother", QT_TRANSLATE_NOOP("", "母亲")),
             ("father", QT_TRANSLATE_NOOP("", "父亲")),
             ("hospital", QT_TRANSLATE_NOOP("", "助产机构")),
             ("issued", QT_TRANSLATE_NOOP("", "签发")))
PARENT_WORDS = {"mother": QT_TRANSLATE_NOOP("", "母亲"), "father": QT_TRANSLATE_NOOP("", "父亲")}
NEW_HOUSEHOLD_PROBLEMS = {
    "place_missing": QT_TRANSLATE_NOOP("", "请选择新立户的户籍地（到村/居委会）。"),
    "place_outside": QT_TRANSLATE_NOOP("", "新立户的户籍地不在您的辖区。"),
    "address_missing": QT_TRANSLATE_NOOP("", "请填写新立户的详细地址。"),
}


def _t(text: object) -> str:
    return QCoreApplication.translate("", str(text))


def code_name(table: str, code: str | None) -> str:
    if not code:
        return ""
    return translated_code_name(table, code) or code


def head_name(household: dict) -> str:
    members = household.get("members") or []
    head = next((m for m in members if m.get("relation") in HEAD_RELATIONS), None)
    return (head or (members[0] if members else {})).get("name") or ""


def relation_text(relation: ChildRelation, current: str | None) -> str:
    """The line beside the household choice: how the relation was found (or why not)."""
    if relation.reason == "new_household":
        why = _t("新立户：请选择与户主的关系")
    elif relation.reason == "parents_elsewhere":
        why = _t("父母都不在这一户，请选择与户主的关系")
    else:
        who = _t(PARENT_WORDS[relation.who or "mother"])
        rel = code_name("relation", relation.parent_relation)
        why = (_t("由{who}关系「{rel}」推出").format(who=who, rel=rel) if relation.code else
               _t("{who}关系「{rel}」推不出，请选择").format(who=who, rel=rel or "?"))
    if relation.code and current != relation.code:
        why += _t("；已改为「{rel}」").format(rel=code_name("relation", current))
    return _t("与户主关系：") + why


class CertificatePanel(QGroupBox):
    """The certificate from the birth-certificate system, and how each parent was matched."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_t("出生医学证明上的信息（只读）"), parent)
        form = QFormLayout(self)
        # When the pane is narrow (large font at 1024×768) a line goes under its caption
        # rather than keeping the pane so wide that the form beside it scrolls sideways.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, QLabel] = {}
        for key, label in CERT_ROWS:
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"cert_{key}")
            self.labels[key] = value
            form.addRow(_t(label), value)

    def show_case(self, data: dict) -> None:
        cert = data.get("certificate") or {}
        tree = division_tree()
        place = cert.get("birthplace") or ""
        values = {
            "cert_number": cert.get("cert_number") or "",
            "child": f"{cert.get('name') or _t('未取名')} · {code_name('sex', cert.get('sex'))}",
            "born": f"{cert.get('birth_date') or '?'} {cert.get('birth_time') or ''}".strip(),
            "birthplace": (tree.path_name(place, " › ") if place.isdigit() else place) or place,
            "measures": _t("{w} 克 · {l} 厘米 · {g} 周").format(
                w=cert.get("weight_g") or "?", l=cert.get("length_cm") or "?",
                g=cert.get("gestation_weeks") or "?"),
            "mother": self._parent_line(data, "mother"),
            "father": self._parent_line(data, "father"),
            "hospital": cert.get("hospital") or "",
            "issued": f"{cert.get('issue_date') or '?'} {cert.get('issuer') or ''}".strip(),
        }
        for key, text in values.items():
            self.labels[key].setText(text)

    @staticmethod
    def _parent_line(data: dict, who: str) -> str:
        cert, person = data.get("certificate") or {}, data.get(who)
        name = cert.get(f"{who}_name") or _t("（证明上未填写）")
        number = cert.get(f"{who}_id_number") or ""
        head = f"{name} {number}".strip()
        if person is None:
            if not cert.get(f"{who}_name") and not number:
                return head
            return head + "  " + _t("✖ 未匹配到本辖区的人员")
        if number:
            same = check_id_number(number).normalized == check_id_number(
                person.get("id_number") or "").normalized
            mark = _t("✔ 已匹配") if same else _t("≈ 证号不同，请核对")
        elif cert.get(f"{who}_name"):
            mark = _t("≈ 按姓名匹配")
        else:
            mark = _t("· 由户籍资料关联")
        where = ""
        household = next((h for h in data.get("households") or []
                          if h.get("household_id") == person.get("household_id")), None)
        if household is not None:
            where = _t("（{head}户 · {n}人 · {rel}）").format(
                head=head_name(household), n=len(household.get("members") or []),
                rel=code_name("relation", person.get("relation")) or "?")
        return f"{head}  {mark} {person.get('person_id') or ''}{where}"


class HouseholdPanel(QGroupBox):
    """入户: one radio button per offered household and 新立户 (place and address)."""

    sig_changed = Signal()
    """Another household was chosen, or the new household's place changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_t("入户"), parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.box_layout = QVBoxLayout(self)
        self.new_place = DivisionPicker(self)
        self.new_place.setObjectName("new_household_place")
        self.new_address = QLineEdit(self)
        self.new_address.setObjectName("new_household_address")
        self.new_address.setPlaceholderText(_t("详细地址，如：3组12号"))
        self.new_box = QWidget(self)
        new_form = QFormLayout(self.new_box)
        new_form.setContentsMargins(24, 0, 0, 0)
        new_form.addRow(_t("户籍地"), self.new_place)
        new_form.addRow(_t("详址"), self.new_address)
        self.new_hint = QLabel(self.new_box)
        self.new_hint.setProperty("role", "error")
        self.new_hint.hide()
        new_form.addRow("", self.new_hint)
        self.relation_hint = QLabel(self)
        self.relation_hint.setObjectName("relation_hint")
        self.relation_hint.setProperty("role", "hint")
        self.relation_hint.setWordWrap(True)
        self.members = QLabel(self)
        self.members.setObjectName("household_members")
        self.members.setWordWrap(True)
        self.members.setProperty("role", "hint")
        self.group.buttonToggled.connect(self._on_toggled)
        self.new_place.sig_code_changed.connect(self._on_new_place)

    def chosen(self) -> str | None:
        return next((k for k, b in self.buttons.items() if b.isChecked()), None)

    def show_case(self, data: dict, chosen: str | None) -> None:
        """The offered households, with `chosen` (else the mother's, the father's, the first)
        selected; the new household's place defaults to the mother's village or the birthplace."""
        self.group.blockSignals(True)
        for b in list(self.group.buttons()):
            self.group.removeButton(b)
            b.hide()
            b.deleteLater()
        while self.box_layout.count():
            self.box_layout.takeAt(0)
        self.buttons.clear()
        mother_h = (data.get("mother") or {}).get("household_id")
        father_h = (data.get("father") or {}).get("household_id")
        tree = division_tree()
        for h in data.get("households") or []:
            hid = h.get("household_id")
            which = (_t("父母所在户") if hid == mother_h and hid == father_h else
                     _t("母亲所在户") if hid == mother_h else
                     _t("父亲所在户") if hid == father_h else _t("户"))
            division = tree.get(h.get("place") or "")
            self._add_button(hid, _t("{which} {head}户（{n}人）· {place}").format(
                which=which, head=head_name(h) or hid, n=len(h.get("members") or []),
                place=division.name if division else h.get("place") or ""))
        self._add_button(NEW_HOUSEHOLD, _t("新立户"))
        for w in (self.new_box, self.relation_hint, self.members):
            self.box_layout.addWidget(w)
        chosen = next(k for k in (chosen, mother_h, father_h, next(iter(self.buttons)))
                      if k in self.buttons)
        self.buttons[chosen].setChecked(True)
        self.group.blockSignals(False)
        place = next((h.get("place") for h in data.get("households") or []
                      if h.get("household_id") == mother_h), None) or \
            (data.get("certificate") or {}).get("birthplace")
        self.new_place.blockSignals(True)
        self.new_place.set_code(place if place and len(str(place)) == 12 else None)
        self.new_place.blockSignals(False)
        self.new_address.clear()
        self.new_hint.hide()

    def _add_button(self, key: str, text: str) -> None:
        rb = QRadioButton(text, self)
        rb.setObjectName(f"household_{key}")
        self.group.addButton(rb)
        self.buttons[key] = rb
        self.box_layout.addWidget(rb)

    def show_household(self, household: dict | None) -> None:
        self.new_box.setVisible(self.chosen() == NEW_HOUSEHOLD)
        if household is not None:
            parts = [f"{m.get('name') or '?'} {code_name('relation', m.get('relation'))}"
                     for m in household.get("members") or []]
            self.members.setText(_t("户成员：") + " · ".join(parts))
        self.members.setVisible(household is not None)

    def _on_toggled(self, _button, checked: bool) -> None:
        if checked:
            self.sig_changed.emit()

    def _on_new_place(self, _code) -> None:
        self.new_hint.hide()
        if self.chosen() == NEW_HOUSEHOLD:
            self.sig_changed.emit()

    def show_problem(self, problem: str | None) -> None:
        self.new_hint.setText(_t(NEW_HOUSEHOLD_PROBLEMS[problem]) if problem else "")
        self.new_hint.setVisible(bool(problem))


class RejectBirthDialog(ReasonDialog):
    """退回: not local / already registered (choose the existing person) / wrong data."""

    def __init__(self, candidates: list[dict], parent=None, preselect: str | None = None):
        super().__init__(_t("退回出生信息"), _t("请选择退回的原因："), parent, required=False,
                         choices=[(k, _t(text)) for k, text in REJECT_REASONS])
        self.person = QComboBox(self)
        self.person.setObjectName("existing_person")
        for p in candidates:
            self.person.addItem(_t("{name} · {sex} · {birth} · {pid}").format(
                name=p.get("name") or _t("（无姓名）"), sex=code_name("sex", p.get("sex")),
                birth=p.get("birth_date") or "?", pid=p.get("person_id")), p.get("person_id"))
        layout = cast(QVBoxLayout, self.layout())
        layout.insertWidget(layout.count() - 3, QLabel(_t("已登记的人员："), self))
        layout.insertWidget(layout.count() - 3, self.person)
        for rb in self.choice_buttons.values():
            rb.toggled.connect(self._update)
        if preselect:
            self.choice_buttons["already_registered"].setChecked(True)
            i = self.person.findData(preselect)
            if i >= 0:
                self.person.setCurrentIndex(i)
        self._update()

    def _update(self) -> None:
        self.person.setEnabled(self.choice() == "already_registered")
        # 信息有误 needs the note: say so where it is typed, not only after 确定.
        self.reason.setPlaceholderText(_t("备注（必填）：请说明哪里有误") if self.choice() == "wrong_data"
                                       else _t("备注（可选）"))
        self.hint.clear()

    def buttons_ok(self) -> QPushButton:
        box = cast(QDialogButtonBox, self.findChild(QDialogButtonBox))
        return box.button(QDialogButtonBox.StandardButton.Ok)

    def existing_person_id(self) -> str | None:
        return self.person.currentData() if self.choice() == "already_registered" else None

    def _accept(self) -> None:
        if self.choice() == "already_registered" and not self.existing_person_id():
            self.hint.setText(_t("没有可选的已登记人员：请选择其他原因，或在备注中说明。"))
            return
        if self.choice() == "wrong_data" and not self.reason.text().strip():
            self.hint.setText(_t("请在备注中说明哪里有误。"))
            self.reason.setFocus()
            return
        super()._accept()
