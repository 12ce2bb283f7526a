"""Newborn confirmation (出生反推): the birth certificate beside the editable newborn record, the
parents matched to existing persons with their households, the household choice with the derived
relation, possible earlier registrations with the twins exception; 确认入户 (Ctrl+S) or 退回…"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialogButtonBox, QFormLayout, QFrame, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QScrollArea, QSplitter, QVBoxLayout, QWidget)

from client.domain.codes import code_table
from client.domain.divisions import division_tree
from client.domain.idnumber import check_id_number
from client.domain.models import Finding, Person
from client.domain.rules import RuleContext, apply_overrides, derive_child_relation, validate_birth
from sync.protocol.actions import NON_BLOCKING
from ui.case_screen import CaseScreen
from ui.error_editor import ReasonDialog
from ui.errors import show_message
from ui.findings_panel import FindingsPanel
from ui.messages import finding_text
from ui.person_form import PersonForm
from ui.widgets.division_picker import DivisionPicker

NEW_HOUSEHOLD = "__new__"
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
HEAD_RELATIONS = ("01", "02")
# Certificate fields a finding can point at, and the certificate line showing them.
CERT_FIELDS = {"issue_date": "issued", "issuer": "issued", "weight_g": "measures",
               "length_cm": "measures", "gestation_weeks": "measures", "hospital": "hospital"}


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def code_name(table: str, code: str | None) -> str:
    if not code:
        return ""
    return code_table(table).name(code) or code


def head_name(household: dict) -> str:
    members = household.get("members") or []
    head = next((m for m in members if m.get("relation") in HEAD_RELATIONS), None)
    return (head or (members[0] if members else {})).get("name") or ""


def relation_for(household: dict | None, mother: dict | None, father: dict | None,
                 sex: str | None) -> tuple[str | None, str]:
    """The newborn's relation to the householder and the reason shown beside it (DOMAIN.md: from
    the mother's relation; a father who heads the household or is the head's husband gives the
    same answer as a mother who is the head's wife)."""
    if household is None:
        return None, _t("新立户：请选择与户主的关系")
    members = {m.get("person_id"): m for m in household.get("members") or []}
    for parent, word in ((mother, QT_TRANSLATE_NOOP("", "母亲")), (father, QT_TRANSLATE_NOOP("", "父亲"))):
        if not parent or parent.get("person_id") not in members:
            continue
        rel = members[parent["person_id"]].get("relation")
        derived = derive_child_relation(rel, sex)
        if word == "父亲" and derived is None and rel in ("01", "02", "10", "11"):
            derived = derive_child_relation("02", sex)
        if derived:
            return derived, _t("由{who}关系「{rel}」推出").format(who=_t(word),
                                                                  rel=code_name("relation", rel))
        return None, _t("{who}关系「{rel}」推不出，请选择").format(
            who=_t(word), rel=code_name("relation", rel) or "?")
    return None, _t("父母都不在这一户，请选择与户主的关系")


def local_siblings(ws, task) -> list[dict]:
    """Blocking: newborns of the same mother and birth date confirmed on this PC but not yet
    uploaded (twins handled in one offline session), as persons "P-<case>" the server will create."""
    cert = (task.data or {}).get("certificate") or {}
    mother = check_id_number(cert.get("mother_id_number") or "").normalized
    if not mother or not cert.get("birth_date"):
        return []
    out = []
    for other in ws.tasks(kind="birth"):
        overlay = other.overlay or {}
        if other.id == task.id or overlay.get("action") != "confirm_birth":
            continue
        c = (other.data or {}).get("certificate") or {}
        if c.get("birth_date") == cert.get("birth_date") and \
                check_id_number(c.get("mother_id_number") or "").normalized == mother:
            person = dict((overlay.get("payload") or {}).get("person") or {})
            person.update(person_id=f"P-{other.id}", local_case=other.id)
            out.append(person)
    return out


class BirthForm(PersonForm):
    """The person form validated with the birth rules (certificate, parents, earlier children)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.certificate: dict = {}

    def validate(self, person: Person) -> list[Finding]:
        return validate_birth(self.certificate, person, self.context, self.config)


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
        layout = self.layout()
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
        box = self.findChild(QDialogButtonBox)
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


class BirthEditor(CaseScreen):
    """Confirms one birth case into a household, or sends it back with a reason."""

    def __init__(self, bg, workspace, parent: QWidget | None = None, *, neighbour=None):
        super().__init__(bg, workspace, parent, neighbour=neighbour)
        self.dialog: RejectBirthDialog | None = None
        self.local_siblings: list[dict] = []  # the mother's other newborns on this PC (twins)
        self._derived: str | None = None  # the relation last filled in automatically
        self._auto: dict[str, str] = {}  # places and hukou type last filled in automatically
        self.panel = FindingsPanel(self)
        # Left: the certificate as it came from the birth-certificate system (read-only).
        self.cert_box = QGroupBox(_t("出生医学证明上的信息（只读）"), self)
        self.cert_form = QFormLayout(self.cert_box)
        self.cert_labels: dict[str, QLabel] = {}
        for key, label in CERT_ROWS:
            value = QLabel(self.cert_box)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"cert_{key}")
            self.cert_labels[key] = value
            self.cert_form.addRow(_t(label), value)
        # Right: the proposed person, the household and the relation.
        self.form = BirthForm(self)
        self.form.setObjectName("birthForm")
        self.household_box = QGroupBox(_t("入户"), self)
        self.household_group = QButtonGroup(self)
        self.household_buttons: dict[str, QRadioButton] = {}
        self.household_layout = QVBoxLayout(self.household_box)
        self.new_place = DivisionPicker(self.household_box)
        self.new_place.setObjectName("new_household_place")
        self.new_address = QLineEdit(self.household_box)
        self.new_address.setObjectName("new_household_address")
        self.new_address.setPlaceholderText(_t("详细地址，如：3组12号"))
        self.new_box = QWidget(self.household_box)
        new_form = QFormLayout(self.new_box)
        new_form.setContentsMargins(24, 0, 0, 0)
        new_form.addRow(_t("户籍地"), self.new_place)
        new_form.addRow(_t("详址"), self.new_address)
        self.new_hint = QLabel(self.new_box)
        self.new_hint.setProperty("role", "error")
        self.new_hint.hide()
        new_form.addRow("", self.new_hint)
        self.relation_hint = QLabel(self.household_box)
        self.relation_hint.setObjectName("relation_hint")
        self.relation_hint.setProperty("role", "hint")
        self.relation_hint.setWordWrap(True)
        self.members = QLabel(self.household_box)
        self.members.setObjectName("household_members")
        self.members.setWordWrap(True)
        self.members.setProperty("role", "hint")
        # Possible earlier registration of the same child (same mother, birth date and sex).
        self.match_box = QFrame(self)
        self.match_box.setObjectName("matchBox")
        self.match_box.setProperty("role", "warning")
        self.match_grid = QGridLayout(self.match_box)
        self.match_rows: dict[str, tuple[QPushButton, QPushButton]] = {}
        self.twins_confirmed = False

        self.confirm_button = QPushButton(_t("确认入户 Ctrl+S"), self)
        self.reject_button = QPushButton(_t("退回…"), self)
        self.back_button = QPushButton(_t("返回列表 Esc"), self)
        self.action_buttons = [self.confirm_button, self.reject_button]
        for b in (*self.action_buttons, self.back_button):
            b.setAutoDefault(False)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.match_box)
        rl.addWidget(self.household_box)
        rl.addWidget(self.form, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(right)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.cert_box)
        ll.addStretch(1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 900])
        actions = QHBoxLayout()
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.reject_button)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.withdrawn)
        layout.addWidget(self.panel)
        layout.addWidget(split, 1)
        layout.addLayout(actions)

        self.confirm_button.clicked.connect(self.confirm)
        self.reject_button.clicked.connect(lambda: self.ask_reject())
        self.back_button.clicked.connect(self.sig_close)
        self.household_group.buttonToggled.connect(self._on_household_toggled)
        self.new_place.sig_code_changed.connect(self._on_new_place)
        self.form.sig_validated.connect(self.panel.set_findings)
        self.form.sig_edited.connect(self._on_form_edited)
        self.panel.sig_jump_to_field.connect(self.jump_to_field)
        self.form.sig_validated.connect(self._mark_certificate)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.confirm),
                           ("Ctrl+R", lambda: self.ask_reject()), ("Esc", self.sig_close.emit)):
            sc = QShortcut(QKeySequence(keys), self, activated=slot)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- loading --------------------------------------------------------------------------------

    @property
    def data(self) -> dict:
        return (self.task.data if self.task is not None else None) or {}

    def show_task(self, task) -> None:
        self.task = task
        self.twins_confirmed = bool(((task.overlay or {}).get("payload") or {}).get("twins_confirmed"))
        data = self.data
        cert = data.get("certificate") or {}
        self._show_certificate(cert, data.get("mother"), data.get("father"))
        self._build_households()
        self._build_matches()
        self.form.certificate = cert
        proposed = dict(data.get("proposed") or {})
        self.form.set_person(Person.from_dict(proposed), self._context())
        name_row = self.form.rows["name"].editor
        name_row.setPlaceholderText(_t("未取名（可以暂不取名）"))
        self._derived = None
        self._auto = {}
        self._apply_household_choice()
        self.show_state(task)
        self.title.setText(_t("出生反推 · 出生医学证明 {cert} · {id}").format(
            cert=cert.get("cert_number") or _t("（无编号）"), id=task.id))
        self.form.focus_field("name")
        self.local_siblings = []
        if task.status not in ("done", "archived"):
            self.bg.read(local_siblings, self.ws, task, name="twins on this PC",
                         on_result=lambda found, tid=task.id: self._set_local_siblings(tid, found))

    def _set_local_siblings(self, task_id: str, found: list[dict]) -> None:
        if self.task is None or self.task.id != task_id or not found:
            return
        self.local_siblings = found
        self._build_matches()
        self.form.context = self._context()
        self.form.revalidate()

    def _parent_line(self, cert: dict, who: str, person: dict | None) -> str:
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
        hid = person.get("household_id")
        household = next((h for h in self.data.get("households") or []
                          if h.get("household_id") == hid), None)
        if household is not None:
            where = _t("（{head}户 · {n}人 · {rel}）").format(
                head=head_name(household), n=len(household.get("members") or []),
                rel=code_name("relation", person.get("relation")) or "?")
        return f"{head}  {mark} {person.get('person_id') or ''}{where}"

    def _show_certificate(self, cert: dict, mother: dict | None, father: dict | None) -> None:
        sex = code_name("sex", cert.get("sex"))
        child = cert.get("name") or _t("未取名")
        tree = division_tree()
        place = cert.get("birthplace") or ""
        values = {
            "cert_number": cert.get("cert_number") or "",
            "child": f"{child} · {sex}",
            "born": f"{cert.get('birth_date') or '?'} {cert.get('birth_time') or ''}".strip(),
            "birthplace": (tree.path_name(place, " › ") if place.isdigit() else place) or place,
            "measures": _t("{w} 克 · {l} 厘米 · {g} 周").format(
                w=cert.get("weight_g") or "?", l=cert.get("length_cm") or "?",
                g=cert.get("gestation_weeks") or "?"),
            "mother": self._parent_line(cert, "mother", mother),
            "father": self._parent_line(cert, "father", father),
            "hospital": cert.get("hospital") or "",
            "issued": f"{cert.get('issue_date') or '?'} {cert.get('issuer') or ''}".strip(),
        }
        for key, text in values.items():
            self.cert_labels[key].setText(text)

    def jump_to_field(self, field: str) -> None:
        """A finding's 跳到字段: the form's field, or the certificate line it is about."""
        row = CERT_FIELDS.get(field)
        if row is None:
            self.form.focus_field(field)
            return
        label = self.cert_labels[row]  # read-only: it takes the focus to show where it is
        label.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        label.setFocus(Qt.FocusReason.OtherFocusReason)

    def _mark_certificate(self, findings) -> None:
        """Findings on certificate fields (签发日期) are shown on the certificate's line."""
        marks: dict[str, tuple[str, list[str]]] = {}
        for f in findings:
            for field in f.fields:
                if field in CERT_FIELDS:
                    worst, texts = marks.get(CERT_FIELDS[field], ("", []))
                    worst = "error" if f.severity == "E" or worst == "error" else "warning"
                    marks[CERT_FIELDS[field]] = (worst, texts + [finding_text(f)])
        for key, label in self.cert_labels.items():
            worst, texts = marks.get(key, ("", []))
            label.setProperty("finding", worst)
            label.setToolTip("\n".join(texts))
            label.style().unpolish(label)
            label.style().polish(label)

    def _build_households(self) -> None:
        for b in list(self.household_group.buttons()):
            self.household_group.removeButton(b)
            b.hide()
            b.deleteLater()
        while self.household_layout.count():
            self.household_layout.takeAt(0)
        self.household_buttons.clear()
        data = self.data
        mother_h = (data.get("mother") or {}).get("household_id")
        father_h = (data.get("father") or {}).get("household_id")
        for h in data.get("households") or []:
            hid = h.get("household_id")
            if hid == mother_h and hid == father_h:
                which = _t("父母所在户")
            elif hid == mother_h:
                which = _t("母亲所在户")
            elif hid == father_h:
                which = _t("父亲所在户")
            else:
                which = _t("户")
            text = _t("{which} {head}户（{n}人）· {place}").format(
                which=which, head=head_name(h) or hid, n=len(h.get("members") or []),
                place=division_tree().get(h.get("place") or "").name
                if division_tree().get(h.get("place") or "") else h.get("place") or "")
            self._add_household_button(hid, text)
        self._add_household_button(NEW_HOUSEHOLD, _t("新立户"))
        self.household_layout.addWidget(self.new_box)
        self.household_layout.addWidget(self.relation_hint)
        self.household_layout.addWidget(self.members)
        # The mother's household first (DOMAIN.md: the child follows the mother), else the first.
        chosen = (self._chosen_from_overlay()
                  or (mother_h if mother_h in self.household_buttons else None)
                  or (father_h if father_h in self.household_buttons else None)
                  or next(iter(self.household_buttons)))
        self.household_buttons[chosen].setChecked(True)
        place = next((h.get("place") for h in data.get("households") or []
                      if h.get("household_id") == mother_h), None) or \
            (data.get("certificate") or {}).get("birthplace")
        self.new_place.set_code(place if place and len(str(place)) == 12 else None)
        self.new_address.clear()

    def _chosen_from_overlay(self) -> str | None:
        payload = (self.task.overlay or {}).get("payload") or {}
        if (self.task.overlay or {}).get("action") != "confirm_birth":
            return None
        if payload.get("new_household"):
            return NEW_HOUSEHOLD
        hid = payload.get("household_id")
        return hid if hid in self.household_buttons else None

    def _add_household_button(self, key: str, text: str) -> None:
        rb = QRadioButton(text, self.household_box)
        rb.setObjectName(f"household_{key}")
        self.household_group.addButton(rb)
        self.household_buttons[key] = rb
        self.household_layout.addWidget(rb)

    def _candidates(self) -> list[dict]:
        """Persons who may already be this child: the case's matches and the mother's children
        in the offered households (same mother ID number)."""
        data = self.data
        out = {p.get("person_id"): p for p in data.get("matches") or []}
        mother_id = check_id_number((data.get("mother") or {}).get("id_number")
                                    or (data.get("certificate") or {}).get("mother_id_number")
                                    or "").normalized
        if mother_id:
            for h in data.get("households") or []:
                for m in h.get("members") or []:
                    if check_id_number(m.get("mother_id_number") or "").normalized == mother_id:
                        out.setdefault(m.get("person_id"), m)
        for p in self.local_siblings:
            out.setdefault(p.get("person_id"), p)
        return [p for pid, p in out.items() if pid]

    def _build_matches(self) -> None:
        while self.match_grid.count():
            w = self.match_grid.takeAt(0).widget()
            if w is not None:
                w.hide()
                w.deleteLater()
        self.match_rows.clear()
        cert = self.data.get("certificate") or {}
        same = [p for p in self._candidates()
                if p.get("birth_date") == cert.get("birth_date")
                and (p.get("sex") == cert.get("sex") or p.get("person_id") in
                     {m.get("person_id") for m in self.data.get("matches") or []})]
        for row, p in enumerate(same):
            text = QLabel(_t("⚠ 可能已登记：{name} · {sex} · {birth} · 母亲 {mother}（{pid}）。"
                             "同一母亲同日出生 — 是双胞胎吗？").format(
                name=p.get("name") or _t("（无姓名）"), sex=code_name("sex", p.get("sex")),
                birth=p.get("birth_date") or "?", mother=p.get("mother_name") or "?",
                pid=p.get("person_id")), self.match_box)
            text.setWordWrap(True)
            text.setProperty("role", "warning")
            twins = QPushButton(_t("是，双胞胎"), self.match_box)
            twins.setObjectName(f"twins_{p.get('person_id')}")
            twins.setCheckable(True)
            twins.setChecked(self.twins_confirmed)
            twins.setAutoDefault(False)
            linked = QPushButton(_t("已登记，关联"), self.match_box)
            linked.setObjectName(f"registered_{p.get('person_id')}")
            linked.setAutoDefault(False)
            twins.toggled.connect(self.set_twins_confirmed)
            if p.get("local_case"):
                # Confirmed on this PC, not yet on the server: only "twins" makes sense.
                linked.hide()
                text.setText(text.text() + _t("（本机刚确认入户的 {case}，尚未上传）").format(
                    case=p["local_case"]))
            linked.clicked.connect(lambda _=False, pid=p.get("person_id"): self.ask_reject(pid))
            self.match_grid.addWidget(text, row, 0)
            self.match_grid.addWidget(twins, row, 1)
            self.match_grid.addWidget(linked, row, 2)
            self.match_rows[p.get("person_id")] = (twins, linked)
        self.match_box.setVisible(bool(same))

    # -- household and relation -----------------------------------------------------------------

    def chosen_household(self) -> str | None:
        return next((k for k, b in self.household_buttons.items() if b.isChecked()), None)

    def _household(self, key: str | None) -> dict | None:
        return next((h for h in self.data.get("households") or []
                     if h.get("household_id") == key), None)

    def _context(self) -> RuleContext:
        data = self.data
        household = self._household(self.chosen_household())
        members = [Person.from_dict(m) for m in (household or {}).get("members") or []]
        return RuleContext(
            today=self.ws.today,
            household=members if household is not None else [],
            mother=Person.from_dict(data["mother"]) if data.get("mother") else None,
            father=Person.from_dict(data["father"]) if data.get("father") else None,
            certificate=data.get("certificate") or {},
            existing_children=[Person.from_dict(p) for p in self._candidates()],
            twins_confirmed=self.twins_confirmed, birth=True)

    def _on_household_toggled(self, _button, checked: bool) -> None:
        if checked and self.task is not None:
            self._apply_household_choice()

    def _apply_household_choice(self) -> None:
        key = self.chosen_household()
        household = self._household(key)
        self.new_box.setVisible(key == NEW_HOUSEHOLD)
        if household is not None:
            parts = [f"{m.get('name') or '?'} {code_name('relation', m.get('relation'))}"
                     for m in household.get("members") or []]
            self.members.setText(_t("户成员：") + " · ".join(parts))
            self.members.show()
        else:
            self.members.hide()
        self._fill_from_household()
        self._derive_relation()
        self.form.context = self._context()
        self.form.revalidate()

    def _fill_from_household(self) -> None:
        """Registering into a household gives the newborn its places, and the hukou type follows
        the mother's (as Workspace.confirm_birth does), unless the worker typed something else."""
        household = self._household(self.chosen_household())
        place = (household or {}).get("place") if household is not None else self.new_place.code()
        wanted = {"hukou_place": place, "residence_place": place,
                  "hukou_type": (self.data.get("mother") or {}).get("hukou_type")}
        for field, value in wanted.items():
            row = self.form.rows[field]
            current = row.value()
            if value and (current is None or current == self._auto.get(field)):
                row.set_value(value)
                row.mark_changed()
                self._auto[field] = value

    def _derive_relation(self) -> None:
        data = self.data
        sex = self.form.rows["sex"].value() or (data.get("certificate") or {}).get("sex")
        derived, why = relation_for(self._household(self.chosen_household()), data.get("mother"),
                                    data.get("father"), sex)
        row = self.form.rows["relation"]
        current = row.value()
        if derived and (current is None or current == self._derived):
            row.set_value(derived)
            row.mark_changed()
        self._derived = derived
        if derived and row.value() != derived:
            why += _t("；已改为「{rel}」").format(rel=code_name("relation", row.value()))
        self.relation_hint.setText(_t("与户主关系：") + why)

    def _on_form_edited(self) -> None:
        self._derive_relation()

    def set_twins_confirmed(self, on: bool) -> None:
        self.twins_confirmed = bool(on)
        for twins, _linked in self.match_rows.values():
            if twins.isChecked() != self.twins_confirmed:
                twins.blockSignals(True)
                twins.setChecked(self.twins_confirmed)
                twins.blockSignals(False)
        self.form.context = self._context()
        self.form.revalidate()

    def _on_new_place(self, _code) -> None:
        self._check_new_household(quiet=True)
        if self.chosen_household() == NEW_HOUSEHOLD:
            self._apply_household_choice()

    def _check_new_household(self, quiet: bool = False) -> dict | None:
        place = self.new_place.code()
        problem = ""
        if not place or len(place) != 12:
            problem = _t("请选择新立户的户籍地（到村/居委会）。")
        else:
            jurisdiction = ((self.ws.user or {}).get("jurisdiction") or "")
            if jurisdiction and not place.startswith(jurisdiction):
                problem = _t("新立户的户籍地不在您的辖区。")
        if not problem and not self.new_address.text().strip():
            problem = _t("请填写新立户的详细地址。")
        self.new_hint.setText(problem)
        self.new_hint.setVisible(bool(problem) and not quiet)
        return None if problem else {"place": place, "address": self.new_address.text().strip()}

    # -- actions --------------------------------------------------------------------------------

    def _blocking(self, findings) -> tuple[list, list]:
        relevant = [f for f in findings if f.code not in NON_BLOCKING]
        verdict = apply_overrides(relevant, self.panel.overrides())
        return list(verdict.errors), list(verdict.unexplained_warnings)

    def confirm(self) -> None:
        if self.task is None or not self.confirm_button.isEnabled():
            return
        # Where the child goes first: the rules below depend on that household.
        key = self.chosen_household()
        new_household = None
        if key == NEW_HOUSEHOLD:
            new_household = self._check_new_household()
            if new_household is None:
                self.new_place.setFocus()
                return
        findings = self.form.flush()
        errors, warnings = self._blocking(findings)
        if errors:
            dup = next((f for f in errors if f.code == "BIRTH_POSSIBLE_DUPLICATE"), None)
            if dup is not None:
                show_message(_t("这个孩子可能已经登记过：如果是双胞胎，请点「是，双胞胎」；"
                                "如果已登记，请点「已登记，关联」退回。"), parent=self)
                return
            show_message(_t("还有 {n} 个错误需要改正后才能入户。").format(n=len(errors)), parent=self)
            self.form.focus_field(next((f for f in errors[0].fields if f in self.form.rows), "name"))
            return
        if warnings:
            show_message(_t("有 {n} 个提醒需要确认：请在提醒旁填写原因，或改正相应字段。").format(
                n=len(warnings)), parent=self)
            edit = self.panel.reason_edit(warnings[0].code)
            if edit is not None:
                edit.setFocus()
            return
        relation = self.form.rows["relation"].value()
        if not relation:
            show_message(_t("请选择新生儿与户主的关系。"), parent=self)
            self.form.focus_field("relation")
            return
        changes = {f: c["to"] for f, c in self.form.changes().items() if f != "relation"}
        self.run_action(self.ws.confirm_birth, self.task.id, changes,
                        None if key == NEW_HOUSEHOLD else key, relation,
                        new_household=new_household, twins_confirmed=self.twins_confirmed,
                        overrides=self.panel.overrides())

    def ask_reject(self, existing_person_id: str | None = None) -> None:
        if self.task is None or not self.reject_button.isEnabled():
            return
        self.dialog = RejectBirthDialog([p for p in self._candidates() if not p.get("local_case")],
                                        self, preselect=existing_person_id)
        dlg = self.dialog
        dlg.sig_reason.connect(lambda choice, note: self.run_action(
            self.ws.reject_birth, self.task.id, choice, note,
            existing_person_id=dlg.existing_person_id()))
        dlg.open()
