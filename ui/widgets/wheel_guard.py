"""The mouse wheel scrolls the form, never the value under the pointer (issue 15.2).

One application-wide event filter: a wheel event over a combo box, date field or spin box that
does not have the keyboard focus is handed to the scroll area around it (the form scrolls on)
instead of changing the value. A focused field still takes the wheel, as the worker chose it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)  # QDateEdit, QSpinBox, QDoubleSpinBox are spin boxes


class WheelGuard(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(obj, QWidget):
            return False
        # The line edit inside an editable combo box or a spin box gets the event first.
        widget = obj if isinstance(obj, GUARDED) else obj.parentWidget()
        if not isinstance(widget, GUARDED):
            return False
        proxy = widget.focusProxy()
        if widget.hasFocus() or (proxy is not None and proxy.hasFocus()):
            return False
        area = _scroll_area_of(widget)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        return True  # the value stays


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):  # never a guarded field: none is a scroll area
            return parent
        parent = parent.parentWidget()
    return None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard once on app (safe to call again); returns it."""
    guard = app.findChild(WheelGuard)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    return guard
