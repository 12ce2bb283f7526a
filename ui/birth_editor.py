"""Newborn confirmation (出生反推): the birth certificate beside the editable newborn record, the
parents matched to existing persons with their households, the household choice with the derived
relation, possible earlier registrations with the twins exception; 确认入户 (Ctrl+S) or 退回…
What registering decides (places, relation, who may already be this child) is in
client.domain.newborn; the panels are in ui.birth_panels."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QLabel, QPushButton, QScrollArea, QSplitter,
                               QVBoxLayout, QWidget)

from client.domain import newborn
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.models import Finding, Person
from client.domain.rules import RuleContext, birth_context, validate_birth
from ui.birth_panels import (NEW_HOUSEHOLD, CertificatePanel, HouseholdPanel, RejectBirthDialog,
                             code_name, relation_text)
from ui.case_screen import CaseScreen
from ui.errors import show_message
from ui.findings_panel import FindingsPanel
from ui.messages import finding_text
from ui.person_form import PersonForm
from ui.widgets.layouts import clear_layout


# Certificate fields a finding can point at, and the certificate line showing them.
CERT_FIELDS = {"issue_date": "issued", "issuer": "issued", "weight_g": "measures",
               "length_cm": "measures", "gestation_weeks": "measures", "hospital": "hospital"}


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


class BirthForm(PersonForm):
    """The person form validated with the birth rules (certificate, parents, earlier children)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.certificate: dict = {}

    def validate(self, person: Person) -> list[Finding]:
        return validate_birth(self.certificate, person, self.context, self.config)


class BirthEditor(CaseScreen):
    """Confirms one birth case into a household, or sends it back with a reason."""

    form: BirthForm  # set in __init__: the screen always has them
    panel: FindingsPanel

    KIND = QT_TRANSLATE_NOOP("", "出生反推")
    GUIDE = QT_TRANSLATE_NOOP("", "左边是出生医学证明上的信息（只读），右边是要登记的新生儿。"
                              "先选择入哪一户（默认母亲所在户），与户主关系会自动推出；"
                              "核对姓名等信息后按 Ctrl+S 确认入户。不在本辖区、已登记或证明信息有误："
                              "Ctrl+R 退回。同一母亲同日出生的孩子会提示，是双胞胎时点「是，双胞胎」。")

    def __init__(self, bg, workspace, parent: QWidget | None = None, *, neighbour=None):
        super().__init__(bg, workspace, parent, neighbour=neighbour)
        self.dialog: RejectBirthDialog | None = None
        self.local_siblings: list[dict] = []  # the mother's other newborns on this PC (twins)
        self._derived: str | None = None  # the relation last filled in automatically
        self._auto: dict[str, str] = {}  # places and hukou type last filled in automatically
        self.panel = FindingsPanel(self)
        # Left: the certificate as it came from the birth-certificate system (read-only).
        self.cert_box = CertificatePanel(self)
        self.cert_labels = self.cert_box.labels
        # Right: the proposed person, the household and the relation.
        self.form = BirthForm(self)
        self.form.setObjectName("birthForm")
        self.household_box = HouseholdPanel(self)
        self.household_buttons = self.household_box.buttons
        self.new_box, self.new_place = self.household_box.new_box, self.household_box.new_place
        self.new_address, self.new_hint = self.household_box.new_address, self.household_box.new_hint
        self.relation_hint, self.members = self.household_box.relation_hint, self.household_box.members
        # Possible earlier registration of the same child (same mother, birth date and sex).
        self.match_box = QFrame(self)
        self.match_box.setObjectName("matchBox")
        self.match_box.setProperty("role", "warning")
        self.match_grid = QGridLayout(self.match_box)
        self.match_rows: dict[str | None, tuple[QPushButton, QPushButton]] = {}
        self.twins_confirmed = False

        self.confirm_button = QPushButton(_t("确认入户 Ctrl+S"), self)
        self.reject_button = QPushButton(_t("退回…"), self)
        self.action_buttons = [self.confirm_button, self.reject_button]

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
        # Both panes give way on a small screen (1:3), and certificate lines wrap under their
        # caption when narrow, so the form keeps room for its column (issue 15.3/15.7).
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(self.header_row())
        layout.addWidget(self.banner)
        layout.addWidget(self.withdrawn)
        layout.addWidget(self.panel)
        layout.addWidget(split, 1)
        layout.addLayout(self.action_bar(*self.action_buttons))

        self.confirm_button.clicked.connect(self.confirm)
        self.reject_button.clicked.connect(lambda: self.ask_reject())
        self.household_box.sig_changed.connect(self._apply_household_choice)
        self.form.sig_validated.connect(self.panel.set_findings)
        self.form.sig_edited.connect(self._on_form_edited)
        self.panel.sig_jump_to_field.connect(self.jump_to_field)
        self.form.sig_validated.connect(self._mark_certificate)
        self.add_command(_t("确认入户"), "Ctrl+S", self.confirm, self.confirm_button)
        self.add_command(_t("退回…"), "Ctrl+R", lambda: self.ask_reject(), self.reject_button)
        self.add_navigation_commands()

    # -- loading --------------------------------------------------------------------------------

    @property
    def data(self) -> dict:
        return (self.task.data if self.task is not None else None) or {}

    def load(self, task) -> None:
        overlay = task.overlay if (task.overlay or {}).get("action") == "confirm_birth" else {}
        payload = (overlay or {}).get("payload") or {}
        self.twins_confirmed = bool(payload.get("twins_confirmed"))
        self.local_siblings = []
        data = self.data
        cert = data.get("certificate") or {}
        self.cert_box.show_case(data)
        self.household_box.show_case(data, NEW_HOUSEHOLD if payload.get("new_household")
                                     else payload.get("household_id"))
        self._build_matches()
        self.form.certificate = cert
        self.form.set_person(Person.from_dict(dict(data.get("proposed") or {})), self._context())
        name = self.form.rows["name"].line
        assert name is not None  # a text field
        name.setPlaceholderText(_t("未取名（可以暂不取名）"))
        self._derived = None
        self._auto = {}
        self._apply_household_choice()
        self.title.setText(_t("出生反推 · 出生医学证明 {cert} · {id}").format(
            cert=cert.get("cert_number") or _t("（无编号）"), id=task.id))
        self.form.focus_field("name")
        if task.status not in ("done", "archived"):
            self.bg.read(self.ws.local_siblings, task.id, name="twins on this PC",
                         on_result=lambda found, tid=task.id: self._set_local_siblings(tid, found))

    def snapshot(self):
        return (self.form.changes(), self.chosen_household(), self.new_place.code(),
                self.new_address.text(), self.twins_confirmed, self.panel.overrides())

    def save_changes(self) -> None:
        self.confirm()

    def show_refused(self, findings: list) -> None:
        self.panel.set_findings(findings)

    def _set_local_siblings(self, task_id: str, found: list[dict]) -> None:
        if self.task is None or self.task.id != task_id or not found:
            return
        self.local_siblings = found
        self._build_matches()
        self.form.context = self._context()
        self.form.revalidate()

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

    def _candidates(self) -> list[dict]:
        return newborn.possible_registrations(self.data, self.local_siblings)

    def _build_matches(self) -> None:
        clear_layout(self.match_grid)
        self.match_rows.clear()
        same = newborn.born_the_same_day(self.data, self._candidates())
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
        return self.household_box.chosen()

    def _household(self) -> dict | None:
        return newborn.household_of(self.data, self.chosen_household())

    def _context(self) -> RuleContext:
        return birth_context(self.data, self._household(), self.ws.today,
                             twins_confirmed=self.twins_confirmed,
                             children=[Person.from_dict(p) for p in self._candidates()])

    def _apply_household_choice(self) -> None:
        if self.task is None:
            return
        household = self._household()
        self.household_box.show_household(household)
        # The places and hukou type the household gives (as Workspace.confirm_birth does),
        # unless the worker typed something else.
        for field, value in newborn.newborn_defaults(self.data, household,
                                                     self.new_place.code()).items():
            row = self.form.rows[field]
            current = row.value()
            if current is None or current == self._auto.get(field):
                row.set_value(value)
                row.mark_changed()
                self._auto[field] = value
        self._derive_relation()
        self.form.context = self._context()
        self.form.revalidate()

    def _derive_relation(self) -> None:
        data = self.data
        sex = self.form.rows["sex"].value() or (data.get("certificate") or {}).get("sex")
        relation = newborn.child_relation(self._household(), data.get("mother"),
                                          data.get("father"), sex)
        row = self.form.rows["relation"]
        current = row.value()
        if relation.code and (current is None or current == self._derived):
            row.set_value(relation.code)
            row.mark_changed()
        self._derived = relation.code
        self.relation_hint.setText(relation_text(relation, row.value()))

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

    def _check_new_household(self) -> dict | None:
        user = self.ws.user or {}
        problem = newborn.new_household_problem(self.new_place.code(), self.new_address.text(),
                                                user.get("jurisdiction"))
        self.household_box.show_problem(problem)
        return None if problem else {"place": self.new_place.code(),
                                     "address": self.new_address.text().strip()}

    # -- actions --------------------------------------------------------------------------------

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
        errors, warnings = self.blocking(findings)
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
