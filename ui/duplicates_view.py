"""Duplicate comparison (疑似重复): the members side by side, differences highlighted and
explained (same ID number, homophone or similar-shape names with the characters, same mother);
the survivor preselected by policy, a value chosen per field, the merged record previewed and
validated (its warnings passed with the worker's reasons, sent as overrides). Merge (never two
different valid ID numbers) or 不是同一人, correcting an ID number."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QLabel, QLineEdit, QMessageBox, QPushButton,
                               QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from client.domain.idnumber import check_id_number
from client.domain.merge import (default_field_choices, default_survivor, duplicate_reasons,
                                 merge_blocker_details, merge_sources, merged_person)
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.models import PERSON_FIELDS, Finding, Person
from client.domain.names import RELATION_LABELS, name_similarity
from client.domain.rules import RuleContext, apply_overrides, validate_person
from ui.case_screen import CaseScreen
from ui.code_names import display_value
from ui.errors import ask, show_message
from ui.findings_panel import FindingsPanel
from ui.messages import finding_text, rule_text
from ui.person_form import field_label
from ui.widgets.layouts import clear_layout
from ui.worklist_model import place_name

HIDDEN = {"person_id", "household_id", "status", "close_reason", "data_source",
          "registering_unit", "operator", "registered_at", "updated_at", "education_system"}
PLACES = {"hukou_place", "residence_place", "managing_place"}
LETTERS = "ABCDEFGHIJ"
KEY_FIELDS = ("name", "id_number", "sex", "birth_date")
# Why a group was flagged, in a few words beside each field the reason concerns.
REASON_SHORT = {"DUP_SAME_ID": QT_TRANSLATE_NOOP("", "证号相同"),
                "DUP_ID_TYPO": QT_TRANSLATE_NOOP("", "证号只差一位"),
                "DUP_SAME_NAME_BIRTH_MOTHER": QT_TRANSLATE_NOOP("", "同名同日同母"),
                "DUP_NO_ID_SAME_VILLAGE": QT_TRANSLATE_NOOP("", "同村同名同日、一方无证号"),
                "DUP_SIMILAR_NAME": QT_TRANSLATE_NOOP("", "姓名音近形近"),
                "DUP_TWINS": QT_TRANSLATE_NOOP("", "疑似双胞胎"),
                "DUP_CHONGHAO": QT_TRANSLATE_NOOP("", "疑似重号")}


def name_mark(survivor_name: str | None, name: str | None) -> str:
    """"≈同音 张/章 晓/小" for a name that sounds or looks like the survivor's ("" otherwise)."""
    if not survivor_name or not name:
        return ""
    match = name_similarity(survivor_name, name)
    if match.kind not in ("homophone", "shape"):
        return ""
    pairs = [f"{a or '□'}/{b or '□'}" for a, b, rel in match.chars if rel != "same"]
    kinds = sorted({_t(RELATION_LABELS[rel]) for _a, _b, rel in match.chars if rel != "same"})
    return "≈" + "、".join(kinds) + " " + " ".join(pairs)


def reasons_by_field(members: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """field -> [(short label, full message)] of the reasons (re-checked on this PC)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for r in duplicate_reasons(members):
        short = _t(REASON_SHORT[r.code]) if r.code in REASON_SHORT else r.code
        for f in r.fields:
            items = out.setdefault(f, [])
            if short not in [x for x, _ in items]:
                items.append((short, rule_text(r.code, r.params, r.message)))
    return out


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def _display(field: str, value) -> str:
    return display_value(field, value)  # codes with their names, places by name


class NotDuplicateDialog(QDialog):
    """不是同一人: a reason, and optionally a corrected ID number per member."""

    sig_accepted = Signal(str, dict)
    """(reason, {person_id: corrected ID number})."""

    def __init__(self, members: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle(_t("不是同一人"))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_t("例如：双胞胎；身份证号录错"))
        form = QFormLayout()
        form.addRow(_t("原因"), self.reason)
        self.ids: dict[str, QLineEdit] = {}
        for i, m in enumerate(members):
            edit = QLineEdit(m.get("id_number") or "", self)
            self.ids[m["person_id"]] = edit  # every member of a group has its person_id
            form.addRow(_t("{letter} {name} 的身份证号").format(letter=LETTERS[i % 10],
                                                          name=m.get("name") or "?"), edit)
        self.originals = {m["person_id"]: m.get("id_number") or "" for m in members}
        self.hint = QLabel(self)
        self.hint.setProperty("role", "error")
        self.hint.setWordWrap(True)
        for edit in (self.reason, *self.ids.values()):  # the request goes once they type
            edit.textEdited.connect(lambda _text: self.hint.clear())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_t("这些记录是不同的人。如果某条记录的身份证号录错了，请在这里改正。"), self))
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def corrections(self) -> dict[str, str]:
        return {pid: e.text().strip() for pid, e in self.ids.items()
                if e.text().strip() != self.originals[pid]}

    def _accept(self) -> None:
        if not self.reason.text().strip():
            self.hint.setText(_t("请填写原因。"))
            return
        for pid, number in self.corrections().items():
            check = check_id_number(number)
            if not check.valid:
                self.hint.setText(_t("改正后的身份证号不正确：{n}").format(n=number))
                return
        self.sig_accepted.emit(self.reason.text().strip(), self.corrections())
        self.accept()


class DuplicatesView(CaseScreen):
    """Merges a group of suspected duplicates, or marks them as different persons."""

    panel: FindingsPanel  # set in __init__: the screen always has it

    KIND = QT_TRANSLATE_NOOP("", "疑似重复")
    GUIDE = QT_TRANSLATE_NOOP("", "几条可能是同一人的记录并排显示，不同的值用颜色标出，旁边写着被标记的原因。"
                              "选择保留哪一条（★），每个字段点选要保留的值，下方预览合并后的记录。"
                              "确认是同一人：Ctrl+M 合并；不是同一人（如双胞胎、证号录错）：Ctrl+D，"
                              "可在那里改正身份证号。")

    def __init__(self, bg, workspace, parent=None, *, neighbour=None):
        super().__init__(bg, workspace, parent, neighbour=neighbour)
        self.members: list[dict] = []
        self.preview_findings: list = []
        # The server's findings of a rejected merge (it also checks household and parent rules
        # this PC cannot): shown with the preview's until the worker changes a choice.
        self.server_findings: list[Finding] = []
        self.choices: dict[str, str] = {}  # field -> member whose value the merged record keeps
        self.field_reasons: dict[str, list[tuple[str, str]]] = {}
        self.survivor_group = QButtonGroup(self)
        self.field_groups: dict[str, QButtonGroup] = {}
        self.dialog = None
        self.confirm_box: QMessageBox | None = None
        self.show_same = False
        self.survivor: str | None = None
        self.blocked = False
        self.reasons = QLabel(self)
        self.reasons.setWordWrap(True)
        self.blockers = QLabel(self)
        self.blockers.setWordWrap(True)
        self.blockers.setProperty("role", "error")
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(14)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.panel = FindingsPanel(self)  # the merged record's findings, a reason per warning
        self.panel.hide()
        self.panel.sig_reasons_changed.connect(self._update_merge_button)
        self.merge_button = QPushButton(self)
        self.separate_button = QPushButton(_t("不是同一人… Ctrl+D"), self)
        self.action_buttons = [self.merge_button, self.separate_button]
        layout = QVBoxLayout(self)
        layout.addLayout(self.header_row())
        for w in (self.banner, self.reasons, self.blockers):
            layout.addWidget(w)
        layout.addWidget(self.withdrawn)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.panel)
        layout.addLayout(self.action_bar(*self.action_buttons))
        self.merge_button.clicked.connect(self.ask_merge)
        self.separate_button.clicked.connect(self.ask_separate)
        self.survivor_group.buttonToggled.connect(lambda _b, on: on and self._on_survivor())
        self.add_command(_t("合并…"), "Ctrl+M", self.ask_merge, self.merge_button)
        self.add_command(_t("不是同一人…"), "Ctrl+D", self.ask_separate, self.separate_button)
        self.add_navigation_commands()

    # -- loading --------------------------------------------------------------------------------

    def load(self, task) -> None:
        data = task.data or {}
        self.members = [m for m in data.get("members") or [] if isinstance(m, dict)]
        reasons = [finding_text(r) for r in data.get("reasons") or [] if isinstance(r, dict)]
        self.title.setText(_t("疑似重复 · {n} 条记录 · {id}").format(n=len(self.members), id=task.id))
        self.reasons.setText(_t("标记原因：{r}").format(r="；".join(reasons) or _t("（未说明）")))
        details = merge_blocker_details(self.members)
        self.blocked = bool(details)
        self.blockers.setText("✖ " + "；".join(rule_text(d.code, d.params, d.message) for d in details) + "。" +
                              _t("如确实不是同一人，请选择「不是同一人」。") if details else "")
        self.blockers.setVisible(bool(details))
        self.survivor = default_survivor(self.members) if self.members else None
        self.choices = self._default_choices()
        self.panel.clear_reasons()
        # A merge already made here (waiting to upload, or refused by the server) is shown as
        # it was sent: its survivor, its values and the reasons given for its warnings.
        overlay = task.overlay or {}
        sent = overlay.get("payload") if overlay.get("action") == "merge_duplicates" else None
        if isinstance(sent, dict) and sent.get("survivor_id") in [m.get("person_id") for m in self.members]:
            self.survivor = sent["survivor_id"]
            self.choices = {f: pid for f, pid in (sent.get("field_choices") or {}).items()
                            if f not in HIDDEN}
            for code, reason in (sent.get("overrides") or {}).items():
                self.panel.set_reason(code, str(reason))
        self.field_reasons = reasons_by_field(self.members)
        self.server_findings = [Finding.from_dict(e) for e in task.errors
                                if isinstance(e, dict)] if task.status == "rejected" else []
        self._build_grid()
        self.merge_button.setToolTip(self.blockers.text() if self.blocked else "")

    def show_state(self, task) -> bool:
        editable = super().show_state(task)
        self._update_merge_button()  # merging also needs a valid preview
        return editable

    def snapshot(self):
        return self.survivor, self.field_choices(), self.panel.overrides()

    def save_changes(self) -> None:
        """Leaving with changed choices and 保存: the merge (the question was the confirmation)."""
        if self.can_merge():
            self.merge()
        else:
            show_message(_t("按现在的选择还不能合并：请看下方的提示，或选择「放弃修改」。"), parent=self)

    def show_refused(self, findings: list) -> None:
        if not self.blocked:
            self.server_findings = [f for f in findings if isinstance(f, Finding)]
            self._update_preview()

    def _clear_grid(self) -> None:
        for b in self.survivor_group.buttons():
            self.survivor_group.removeButton(b)
        for g in self.field_groups.values():
            g.deleteLater()
        self.field_groups.clear()
        clear_layout(self.grid)

    def _build_grid(self) -> None:
        self._clear_grid()
        members = self.members
        ids = [m.get("person_id") for m in members]
        header = QLabel("<b>" + _t("字段") + "</b>", self.grid_host)
        self.grid.addWidget(header, 0, 0)
        for i, m in enumerate(members):
            text = _t("{letter} 个案 {pid}").format(letter=LETTERS[i % 10], pid=m.get("person_id"))
            if m.get("person_id") == self.survivor:
                text += " " + _t("（保留 ★）")
            rb = QRadioButton(text, self.grid_host)
            rb.setProperty("person_id", m.get("person_id"))
            rb.setToolTip(_t("选为保留的记录（其他记录注销并入它）"))
            self.survivor_group.addButton(rb)
            self.grid.addWidget(rb, 0, i + 1)
            rb.setChecked(m.get("person_id") == self.survivor)
        # Identity fields always, then every field whose values differ (a blank counts: one
        # record lacking an ID number is a difference the worker must see); the rest folded.
        differing = [f for f in PERSON_FIELDS if f not in HIDDEN and
                     (f in KEY_FIELDS or len({(m.get(f) or "") for m in members}) > 1)]
        same = [f for f in PERSON_FIELDS if f not in HIDDEN and f not in differing
                and any(m.get(f) for m in members)]
        sources = merge_sources(members, self.survivor, self.choices) \
            if self.survivor is not None and self.survivor in ids else {}
        row = 1
        survivor = next((m for m in members if m.get("person_id") == self.survivor), {})
        for f in differing + (same if self.show_same else []):
            why = self.field_reasons.get(f) or []
            label = QLabel(field_label(f) + ("\n" + "、".join(x for x, _ in why) if why else ""),
                           self.grid_host)
            label.setObjectName(f"label_{f}")
            if why:
                label.setProperty("role", "warning")
                label.setToolTip("\n".join(m for _, m in why))
            self.grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            self.field_groups[f] = group
            for i, m in enumerate(members):
                text = _display(f, m.get(f))
                if f == "name" and m.get("person_id") != self.survivor:
                    mark = name_mark(survivor.get("name"), m.get("name"))
                    if mark:
                        text += "  " + mark
                if f == "id_number" and m.get("id_number"):
                    text += " ✔" if check_id_number(m.get("id_number")).valid else " ✖"
                    earlier = next((LETTERS[k % 10] for k, x in enumerate(members[:i])
                                    if x.get("id_number") == m.get("id_number")), None)
                    if earlier:
                        text += " " + _t("同 {letter}").format(letter=earlier)
                cell = QRadioButton(text, self.grid_host)
                cell.setObjectName(f"cell_{f}_{m.get('person_id')}")
                cell.setProperty("person_id", m.get("person_id"))
                cell.setProperty("field", f)
                group.addButton(cell)
                cell.setChecked(sources.get(f) == m.get("person_id"))
                if len({(x.get(f) or "") for x in members}) > 1:
                    cell.setStyleSheet("QRadioButton { background: #fff4d6; }")
                self.grid.addWidget(cell, row, i + 1)
            group.buttonToggled.connect(lambda b, on: on and self._on_field_choice(b))
            row += 1
        toggle = QPushButton(_t("另有 {n} 项相同，点击展开").format(n=len(same)) if not self.show_same
                             else _t("收起相同的字段"), self.grid_host)
        toggle.setFlat(True)
        toggle.setVisible(bool(same))
        toggle.clicked.connect(self._toggle_same)
        self.grid.addWidget(toggle, row, 0, 1, len(members) + 1)
        self.grid.setRowStretch(row + 1, 1)
        self.grid.setColumnStretch(0, 0)  # labels as wide as they need, members share the rest
        for i in range(len(members)):
            self.grid.setColumnStretch(i + 1, 1)
        self._update_preview()

    def _toggle_same(self) -> None:
        self.show_same = not self.show_same
        self._build_grid()

    def _default_choices(self) -> dict[str, str]:
        # The survivor's blanks are filled from the other members (INTERFACES.md: the UI sends
        # these choices explicitly, so the preview and the server's result agree).
        if not self.survivor:
            return {}
        return {f: pid for f, pid in default_field_choices(self.members, self.survivor).items()
                if f not in HIDDEN}

    def _on_survivor(self) -> None:
        b = self.survivor_group.checkedButton()
        if b is not None and b.property("person_id") != self.survivor:
            self.survivor = b.property("person_id")
            self.server_findings = []  # they were about the merge the server refused
            self.choices = self._default_choices()
            self._build_grid()

    def _on_field_choice(self, button) -> None:
        f, pid = button.property("field"), button.property("person_id")
        if pid == self.survivor:
            self.choices.pop(f, None)
        else:
            self.choices[f] = pid
        self.server_findings = []
        self._update_preview()

    # -- choices and preview --------------------------------------------------------------------

    def field_choices(self) -> dict[str, str]:
        """Fields whose value comes from a member other than the survivor (also folded rows)."""
        return {f: pid for f, pid in self.choices.items() if pid != self.survivor}

    def merged(self) -> Person | None:
        if not self.survivor:
            return None
        return merged_person(self.members, self.survivor, self.field_choices())

    def _update_preview(self) -> None:
        merged = self.merged()
        others = [LETTERS[i % 10] for i, m in enumerate(self.members)
                  if m.get("person_id") != self.survivor]
        keep = next((LETTERS[i % 10] for i, m in enumerate(self.members)
                     if m.get("person_id") == self.survivor), "?")
        self.merge_button.setText(_t("合并（{others} 将注销并入 {keep}）… Ctrl+M").format(
            others="、".join(others), keep=keep))
        if merged is None:
            self.preview.clear()
            return
        if self.blocked:
            # Never suggest a merged record for twins, 重号 or two valid ID numbers.
            for b in self.grid_host.findChildren(QRadioButton):
                b.setEnabled(False)
            self.preview_findings = []
            self.panel.set_findings([])
            self.panel.hide()
            self.preview.setText(_t("不能合并，原因见上方。"))
            self.preview.setProperty("role", "error")
            self.preview.style().unpolish(self.preview)
            self.preview.style().polish(self.preview)
            self.merge_button.setEnabled(False)
            return
        found = [f for f in validate_person(merged, RuleContext(today=self.ws.today))
                 if f.severity in ("E", "W") and f.code != "RULE_FAILED"]
        local = {f.code for f in found}
        found += [f for f in self.server_findings if f.code not in local]
        errors = [f for f in found if f.severity == "E"]
        # Errors block; each warning passes with the worker's reason (sent as overrides).
        self.preview_findings = found
        self.panel.set_findings(found)
        self.panel.setVisible(bool(found))
        summary = " · ".join(x for x in (merged.name, merged.id_number, merged.birth_date,
                                         place_name(merged.residence_place or "")) if x)
        if not found:
            state = "✔ " + _t("校验通过")
        else:
            state = "；".join(("✖ " if f.severity == "E" else "▲ ") + finding_text(f)
                             for f in found[:3])
            state += "  " + (_t("请改选字段的值后再合并。") if errors else
                             _t("确认无误请在下方提醒旁填写原因，或改选字段的值。"))
        self.preview.setText(_t("合并后：{summary}  {state}").format(summary=summary, state=state))
        self.preview.setProperty("role", "ok" if not found else "error" if errors else "warning")
        self._update_merge_button()
        self.preview.style().unpolish(self.preview)
        self.preview.style().polish(self.preview)

    def can_merge(self) -> bool:
        """Not blocked, no error, and a reason for every warning of the merged record."""
        return (self.editable() and not self.blocked and len(self.members) > 1 and self.survivor is not None
                and apply_overrides(self.preview_findings, self.panel.overrides()).ok)

    def _update_merge_button(self) -> None:
        self.merge_button.setEnabled(self.can_merge())

    # -- actions --------------------------------------------------------------------------------

    def ask_merge(self) -> None:
        if self.task is None or not self.merge_button.isEnabled():
            return
        closing = [f"{m.get('name') or '?'}（{m.get('person_id')}）" for m in self.members
                   if m.get("person_id") != self.survivor]
        self.confirm_box = ask(
            _t("将保留 {keep}，并注销以下记录、并入保留的记录：\n{closing}\n\n确定合并吗？").format(
                keep=self.survivor, closing="\n".join(closing)),
            title=_t("合并"), yes=_t("合并"), no=_t("取消"), on_yes=self.merge, parent=self)

    def merge(self) -> None:
        assert self.task is not None  # asked to confirm the merge of the case on screen
        self.run_action(self.ws.merge_duplicates, self.task.id, self.survivor,
                        self.field_choices(), self.panel.overrides() or None)

    def ask_separate(self) -> None:
        if self.task is None or not self.separate_button.isEnabled():
            return
        self.dialog = NotDuplicateDialog(self.members, self)
        self.dialog.sig_accepted.connect(lambda reason, ids: self.run_action(
            self.ws.mark_not_duplicate, self.task.id, reason, ids))
        self.dialog.open()

    def on_action_error(self, exc: BaseException) -> None:
        super().on_action_error(exc)
        self._update_merge_button()
