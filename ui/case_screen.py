"""What the workflow screens (newborn, duplicates, conflict) share with the error editor: the
title line, the state banner, running one workspace action off the UI thread and moving on."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from client.workspace import TaskView, Workspace
from ui.errors import describe, show_message
from ui.own_message import own_message
from ui.messages import finding_text
from ui.withdrawn_banner import WithdrawnBanner


def _t(text: str) -> str:
    return QCoreApplication.translate("", text)


def state_banner_text(task: TaskView) -> str:
    """The line above a case that says what state it is in (empty when it is simply open)."""
    if task.status == "pending":
        return _t("已处理，等待上传。可以重新处理，新的处理会替换待上传的内容。")
    if task.status == "rejected":
        why = "；".join(finding_text(e) for e in task.errors)
        return _t("被服务器退回：请按提示改正后重新提交。") + (" " + why if why else "")
    if task.status == "conflict":
        return _t("他人在您处理期间修改了这条记录，需要处理冲突。")
    if task.status == "done" and task.merged_fields:
        from ui.conflict_view import merged_notice
        return merged_notice(task.id, task.merged_fields, (task.data or {}).get("members"))
    if not task.editable:
        return _t("这条任务已完成或已不再分配给您，只能查看。")
    return ""


def title_label(parent: QWidget) -> QLabel:
    """The bold, larger title line every case screen starts with."""
    label = QLabel(parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    return label


class CaseScreen(QWidget):
    """Base of a case screen: subclasses fill `action_buttons` and call `run_action`."""

    sig_changes = Signal(object)
    """An action was saved (argument: the workspace's Changes)."""
    sig_go = Signal(str)
    """Open another case (next in the list)."""
    sig_close = Signal()
    """Back to the list."""

    def __init__(self, bg, workspace, parent: QWidget | None = None, *, neighbour=None):
        super().__init__(parent)
        self.bg = bg
        self.ws: Workspace = workspace
        self.neighbour = neighbour or (lambda case_id, step: None)
        self.task: TaskView | None = None
        self.action_buttons: list[QPushButton] = []
        self.title = title_label(self)
        self.banner = QLabel(self)
        self.banner.setProperty("role", "banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        # Withdrawn or reassigned with work pending: why, and export / discard.
        self.withdrawn = WithdrawnBanner(bg, workspace, self)
        self.withdrawn.sig_changes.connect(lambda ch: (self.sig_changes.emit(ch),
                                                       self.sig_close.emit()))

    def open_case(self, case_id: str) -> None:
        self.bg.read(self.ws.task, case_id, name="open case", on_result=self.show_task)

    def show_task(self, task: TaskView) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def show_state(self, task: TaskView) -> bool:
        """Banner and buttons for the task's state; returns whether the task can be acted on."""
        self.withdrawn.show_task(task)
        editable = task.editable and not task.removed
        for b in self.action_buttons:
            b.setEnabled(editable)
        text = state_banner_text(task)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        return editable

    def run_action(self, fn, *args, advance: bool = True, **kwargs) -> None:
        """Run a workspace action on the database thread; on success report the Changes and move
        to the next case (the worker's rhythm), on failure explain and re-enable the buttons."""
        assert self.task is not None, "an action needs the case on screen"
        case_id = self.task.id
        next_id = self.neighbour(case_id, 1) if advance else None
        for b in self.action_buttons:
            b.setEnabled(False)
        self.bg.db(fn, *args, name=getattr(fn, "__name__", "action"), **kwargs,
                   on_result=lambda changes: self._after_action(changes, next_id),
                   on_error=self.on_action_error)

    def _after_action(self, changes, next_id: str | None) -> None:
        self.sig_changes.emit(changes)
        if next_id:
            self.sig_go.emit(next_id)
        else:
            show_message(_t("已保存，同步时会上传。"), parent=self)
            self.sig_close.emit()

    def on_action_error(self, exc: BaseException) -> None:
        for b in self.action_buttons:
            b.setEnabled(True)
        msg = describe(exc)
        text = own_message(exc) or msg.text
        show_message(text, msg.details if msg.code == "unexpected" else "", parent=self)
