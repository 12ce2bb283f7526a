"""The base of every case screen (error record, newborn, duplicates, conflict): the title line,
the one state banner, the withdrawn banner, previous / next / back to the list, the screen's
commands (buttons and shortcuts, listed in the 处理 menu and on the 快捷键 sheet), running a
workspace action off the UI thread, the one way an error is explained, a short notice on success,
and the question 保存 / 放弃 / 取消 before a changed case is left by any way out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from client.domain.rules import apply_overrides
from client.workspace import TaskView, Workspace
from client.workspace.errors import ValidationRefused
from sync.protocol.actions import NON_BLOCKING
from ui.errors import describe, show_message
from ui.findings_panel import FindingsPanel
from ui.messages import finding_text
from ui.withdrawn_banner import WithdrawnBanner

if TYPE_CHECKING:
    from ui.person_form import PersonForm


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def state_banner_text(task: TaskView) -> str:
    """The line above a case that says what state it is in (empty when it is simply open)."""
    if task.status == "pending":
        if task.kind == "error":
            return _t("已处理，等待上传。可以继续修改，修改会合并到待上传的内容中。")
        return _t("已处理，等待上传。可以重新处理，新的处理会替换待上传的内容。")
    if task.status == "rejected":
        why = "；".join(finding_text(e) for e in task.errors)
        return _t("被服务器退回：请按提示改正后重新提交。") + (" " + why if why else "")
    if task.status == "conflict":
        return _t("他人在您处理期间修改了这条记录，需要处理冲突。")
    if task.status == "done" and task.merged_fields:
        from ui.conflict_view import merged_notice
        return merged_notice(task.id, task.merged_fields, (task.data or {}).get("members"))
    if not task.editable and not task.removed:
        return _t("这条任务已完成或已不再分配给您，只能查看。")
    return ""


class TitleLabel(QLabel):
    """The bold, larger title line every case screen starts with. A font of its own stops the
    application font (large-font mode) from reaching it, so it follows its parent's font."""

    SCALE = 1.25

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        if parent is not None:
            parent.installEventFilter(self)
        self._follow_font()

    def _follow_font(self) -> None:
        parent = self.parentWidget()
        font = QFont(parent.font() if parent is not None else QApplication.font())
        font.setPointSizeF(font.pointSizeF() * self.SCALE)
        font.setBold(True)
        self.setFont(font)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() in (QEvent.Type.FontChange,
                                                               QEvent.Type.StyleChange):
            # With a style sheet the parent's new font is set after these events: look later.
            QTimer.singleShot(0, self, self._follow_font)
        return False


def title_label(parent: QWidget) -> QLabel:
    return TitleLabel(parent)


@dataclass(frozen=True)
class Command:
    """One thing a screen can do by key: its label (translated) and key sequence text."""

    label: str
    keys: str
    slot: Callable[[], Any]


def show_rule_help(parent: QWidget, codes: list[str]) -> None:
    from ui.help_sheet import show_rule_help as show
    show(parent, codes)


def keys_text(keys: str) -> str:
    """"Ctrl+S" as the platform writes it (the menus and the 快捷键 sheet)."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


class CaseScreen(QWidget):
    """Subclasses build their widgets, call `add_command` for each action, fill `action_buttons`,
    implement `load(task)`, and for leave-protection `snapshot()` and `save_changes()`."""

    sig_changes = Signal(object)
    """An action was saved (argument: the workspace's Changes)."""
    sig_go = Signal(str)
    """Open another case (previous/next in the list)."""
    sig_close = Signal()
    """Back to the list (at the case this screen shows)."""
    sig_notice = Signal(str)
    """A short confirmation for the status line ("已保存"), shown without a dialog."""

    KIND = ""
    """The screen's name (translated where shown)."""
    GUIDE = ""
    """A few lines for 帮助 › 本页说明 (Chinese source, translated where shown)."""

    def __init__(self, bg, workspace, parent: QWidget | None = None, *, neighbour=None):
        super().__init__(parent)
        self.bg = bg
        self.ws: Workspace = workspace
        self.neighbour: Callable[[str, int], str | None] = neighbour or (lambda case_id, step: None)
        self.task: TaskView | None = None
        self.action_buttons: list[QPushButton] = []
        self.commands: list[Command] = []
        self.title = title_label(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("caseBanner")
        self.banner.setProperty("role", "banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        # Withdrawn or reassigned with work pending: why, and export / discard.
        self.withdrawn = WithdrawnBanner(bg, workspace, self)
        self.withdrawn.sig_changes.connect(lambda ch: (self.sig_changes.emit(ch),
                                                       self.sig_close.emit()))
        self.prev_button = QPushButton(_t("上一条"), self)
        self.next_button = QPushButton(_t("下一条"), self)
        self.back_button = QPushButton(_t("返回列表 Esc"), self)
        for b in (self.prev_button, self.next_button, self.back_button):
            b.setAutoDefault(False)
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.back_button.clicked.connect(self.leave)
        self.panel: FindingsPanel | None = None  # the screen's findings (F1 explains them)
        self.form: PersonForm | None = None
        self.leave_box: QMessageBox | None = None
        self._baseline: Any = None
        self._pending_leave: Callable[[], None] | None = None
        self._running = False

    # -- construction helpers -------------------------------------------------------------------

    def add_command(self, label: str, keys: str, slot: Callable[[], Any],
                    button: QPushButton | None = None) -> None:
        """A key for the whole screen (also when focus is in a field), listed in the menus and
        in the tooltip of its button."""
        sc = QShortcut(QKeySequence(keys), self, slot)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.commands.append(Command(label, keys, slot))
        if button is not None:
            button.setToolTip(f"{label} ({keys_text(keys)})")

    def add_navigation_commands(self) -> None:
        """PgUp / PgDn / Esc: the same on every case screen (added after the screen's own)."""
        self.add_command(_t("上一条"), "PgUp", lambda: self.go(-1), self.prev_button)
        self.add_command(_t("下一条"), "PgDown", lambda: self.go(1), self.next_button)
        self.add_command(_t("返回列表"), "Esc", self.leave, self.back_button)
        if self.panel is not None:
            self.add_command(_t("规则说明"), "F1", self.explain_findings)
            self.panel.sig_explain.connect(lambda codes: show_rule_help(self, codes))

    def blocking(self, findings) -> tuple[list, list]:
        """(errors, warnings without a reason) among findings: what stops the action."""
        relevant = [f for f in findings if f.code not in NON_BLOCKING]
        verdict = apply_overrides(relevant, self.panel.overrides() if self.panel else {})
        return list(verdict.errors), list(verdict.unexplained_warnings)

    def explain_findings(self) -> None:
        """F1: what the rules of the findings mean (those of the field being edited, if any)."""
        if self.panel is None:
            return
        findings = self.panel.findings()
        focus = QApplication.focusWidget()
        if self.form is not None and focus is not None:
            field = next((name for name, row in self.form.rows.items()
                          if row.isAncestorOf(focus)), None)
            own = [f for f in findings if field in f.fields]
            findings = own or findings
        show_rule_help(self, [f.code for f in findings])

    def header_row(self) -> QHBoxLayout:
        """The top row: the title, then previous / next / back to the list at the right."""
        self.title.setWordWrap(True)  # a long title wraps instead of widening the window
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        for b in (self.prev_button, self.next_button, self.back_button):
            row.addWidget(b)
        return row

    def action_bar(self, *buttons: QWidget) -> QHBoxLayout:
        """The bottom row: the screen's action buttons."""
        row = QHBoxLayout()
        for b in buttons:
            if isinstance(b, QPushButton):
                b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        return row

    # -- showing a case -------------------------------------------------------------------------

    def open_case(self, case_id: str) -> None:
        self.bg.read(self.ws.task, case_id, name="open case", on_result=self.show_task)

    def show_task(self, task) -> None:
        """Show a case: the screen's own content, then the banners and buttons for its state;
        what is shown now is the unchanged state the leave question compares with."""
        self.task = task
        self._pending_leave = None
        self.load(task)
        self.show_state(task)
        self.mark_clean()

    def load(self, task) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def show_state(self, task: TaskView) -> bool:
        """Banner and buttons for the task's state; returns whether the task can be acted on."""
        self.withdrawn.show_task(task)
        editable = self.editable()
        for b in self.action_buttons:
            b.setEnabled(editable)
        text = state_banner_text(task)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.refresh_navigation()
        return editable

    def refresh_navigation(self) -> None:
        """Previous / next enabled as the list now stands (it changes when a case leaves it)."""
        task = self.task
        self.prev_button.setEnabled(task is not None and bool(self.neighbour(task.id, -1)))
        self.next_button.setEnabled(task is not None and bool(self.neighbour(task.id, 1)))

    def editable(self) -> bool:
        task = self.task
        return task is not None and task.editable and not task.removed

    # -- unsaved changes ------------------------------------------------------------------------

    def snapshot(self) -> Any:
        """What the worker can change on this screen, comparable with ==; None: nothing."""
        return None

    def mark_clean(self) -> None:
        self._baseline = self.snapshot()

    def is_dirty(self) -> bool:
        return self.task is not None and self.editable() and self.snapshot() != self._baseline

    def save_changes(self) -> None:
        """Save what the worker changed (the screen's main action). Runs `run_action` when the
        changes can be saved; otherwise explains why and leaves the worker on the case."""

    def request_leave(self, then: Callable[[], None]) -> None:
        """Leave the case by `then()`; when it was changed, first ask 保存 / 放弃 / 取消."""
        if self._running:
            return  # an action is being saved: it moves on by itself
        if self.task is None or not self.is_dirty():
            then()
            return
        box = QMessageBox(QMessageBox.Icon.Question, _t("未保存的修改"),
                          _t("这条记录（{id}）有未保存的修改。离开前要保存吗？").format(id=self.task.id),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("leaveBox")
        box.button(QMessageBox.StandardButton.Save).setText(_t("保存"))
        box.button(QMessageBox.StandardButton.Discard).setText(_t("放弃修改"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_t("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)

        def answered(button) -> None:
            which = box.standardButton(button)
            self.leave_box = None
            if which == QMessageBox.StandardButton.Save:
                self._pending_leave = then
                self.save_changes()
                if not self._running:  # it could not be saved: stay on the case
                    self._pending_leave = None
            elif which == QMessageBox.StandardButton.Discard:
                self.mark_clean()
                then()
        box.buttonClicked.connect(answered)
        self.leave_box = box
        box.open()

    def go(self, step: int) -> None:
        """Previous (-1) or next (+1) case of the list."""
        if self.task is None:
            return
        target = self.neighbour(self.task.id, step)
        if target:
            self.request_leave(lambda: self.sig_go.emit(target))

    def leave(self) -> None:
        """Back to the list (Esc)."""
        self.request_leave(self.sig_close.emit)

    # -- actions --------------------------------------------------------------------------------

    def run_action(self, fn, *args, advance: bool = True, **kwargs) -> None:
        """Run a workspace action on the database thread; on success report the Changes, say
        "已保存" and move to the next case (the worker's rhythm), on failure explain."""
        assert self.task is not None, "an action needs the case on screen"
        case_id = self.task.id
        next_id = self.neighbour(case_id, 1) if advance else None
        for b in self.action_buttons:
            b.setEnabled(False)
        self._running = True
        self.bg.db(fn, *args, name=fn.__name__, **kwargs,
                   on_result=lambda changes: self._after_action(changes, case_id, next_id),
                   on_error=self.on_action_error)

    def done_notice(self, case_id: str) -> str:
        return _t("{id} 已保存，同步时会上传。").format(id=case_id)

    def _after_action(self, changes, case_id: str, next_id: str | None) -> None:
        self._running = False
        self.mark_clean()
        self.sig_changes.emit(changes)
        self.sig_notice.emit(self.done_notice(case_id))
        then, self._pending_leave = self._pending_leave, None
        if then is not None:
            then()
        elif next_id:
            self.sig_go.emit(next_id)
        else:
            self.sig_close.emit()

    def on_action_error(self, exc: BaseException) -> None:
        self._running = False
        self._pending_leave = None
        for b in self.action_buttons:
            b.setEnabled(self.editable())
        if isinstance(exc, ValidationRefused):  # what was refused
            self.show_refused(exc.findings)
        msg = describe(exc)
        show_message(msg.text, msg.details if msg.code == "unexpected" else "", parent=self)

    def show_refused(self, findings: list) -> None:
        """The findings the workspace refused the action for (shown in the screen's panel)."""
