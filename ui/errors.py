"""Errors shown to the worker: plain-Chinese text for any exception, and the excepthook.

Technical details go to the log file and behind the 详细信息 button, never into the main text.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from client.workspace.errors import ValidationRefused
from client.errors import HechaError
from ui import messages
from ui.own_message import own_message

log = logging.getLogger("hecha.ui")

_log_file: str = ""


def set_log_file(path: str) -> None:
    global _log_file
    _log_file = str(path)


@dataclass(frozen=True)
class UserMessage:
    code: str
    text: str
    details: str
    params: dict[str, Any] = field(default_factory=dict)


def error_code(exc: BaseException) -> str:
    """The code of a typed error of client/ or sync/ (empty for any other exception)."""
    return exc.code if isinstance(exc, HechaError) else ""


def error_text(exc: BaseException) -> str:
    """What the worker reads when an action fails: the words for its code in the worker's
    language (ui/messages and the catalogue); the error's own message only for a code they do
    not know."""
    return describe(exc).text


def classify(exc: BaseException) -> tuple[str, dict[str, Any]]:
    """The message code (and params) that explains exc to the worker."""
    if isinstance(exc, HechaError) and exc.code:
        params = dict(exc.params)
        if isinstance(exc, ValidationRefused):
            params["summary"] = messages.refused_summary(exc.errors, exc.warnings)
        return exc.code, params
    if isinstance(exc, requests.exceptions.SSLError):
        return "certificate", {}
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ConnectionError)):
        return "offline", {}
    if isinstance(exc, requests.exceptions.Timeout):
        return "timeout", {}
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        if status == 401:
            return "auth_expired", {}
        if status in (429, 503):
            return "server_busy", {}
        if status >= 500:
            return "server_error", {"status_code": status}
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return ("timeout" if isinstance(exc, TimeoutError) else "offline"), {}
    return "unexpected", {"log_file": _log_file or "hecha.log"}


def describe(exc: BaseException) -> UserMessage:
    code, params = classify(exc)
    # Typed errors of client/ and sync/ carry their own Chinese message: used for codes this
    # table does not know yet (never the raw exception text, which is technical).
    text = messages.render(code, params, own_message(exc))
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return UserMessage(code, text, details, params)


# The dialogs currently open (kept referenced so open() does not lose them; tests inspect it).
open_dialogs: list[QDialog] = []


def show_message(text: str, details: str = "", parent: QWidget | None = None,
                 title: str | None = None, icon=QMessageBox.Icon.Warning) -> QMessageBox:
    """A non-blocking message box (open(), never exec(): safe inside coroutines)."""
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setIcon(icon)
    box.setWindowTitle(title or QCoreApplication.translate("errors", "核查工作台"))
    box.setText(text)
    if details:
        box.setDetailedText(details)  # Qt labels the button 详细信息 under the zh_CN translator
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    open_dialogs.append(box)
    box.finished.connect(lambda _=None, b=box: open_dialogs.remove(b) if b in open_dialogs else None)
    box.open()
    return box


def ask(text: str, *, title: str, yes: str, no: str, on_yes: Callable[[], None], parent: QWidget,
        icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> QMessageBox:
    """A non-blocking yes/no question (open(), never exec()); the safe answer (no) is the
    default; on_yes runs when the worker picks yes."""
    box = QMessageBox(icon, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    yes_button, no_button = (box.button(QMessageBox.StandardButton.Yes),
                             box.button(QMessageBox.StandardButton.No))
    assert yes_button is not None and no_button is not None  # the box was made with both
    yes_button.setText(yes)
    no_button.setText(no)
    box.buttonClicked.connect(lambda b: on_yes() if b is yes_button else None)
    box.open()
    return box


def report_error(exc: BaseException, context: str = "", parent: QWidget | None = None) -> UserMessage:
    """Log exc with its traceback and show the worker what happened, in plain words."""
    msg = describe(exc)
    log.error("%s%s", f"{context}: " if context else "", msg.code,
              exc_info=(type(exc), exc, exc.__traceback__))
    if QApplication.instance() is not None:
        show_message(msg.text, msg.details, parent)
    return msg


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    try:
        report_error(exc, context="uncaught")
    except Exception:  # noqa: BLE001 - the hook itself must never raise
        sys.__excepthook__(exc_type, exc, tb)


def install_excepthook() -> None:
    """Uncaught exceptions (including those in Qt slots) are logged and shown, not printed."""
    sys.excepthook = _excepthook
