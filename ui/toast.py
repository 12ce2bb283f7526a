"""A short confirmation ("E-1 已保存") at the bottom of the window that goes away by itself:
success needs no dialog to click away, and no warning icon."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

SHOW_MS = 3000


class Toast(QLabel):
    """Shown over the bottom edge of its parent for a few seconds; clicks pass through."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.host = parent
        self.setObjectName("toast")
        self.setProperty("role", "ok")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("QLabel#toast { background: #2e7d32; color: white; padding: 6px 16px;"
                           " border-radius: 6px; }")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        parent.installEventFilter(self)
        self.hide()

    def show_text(self, text: str, ms: int = SHOW_MS) -> None:
        self.setText("✔ " + text)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start(ms)

    def _place(self) -> None:
        self.move(max(0, (self.host.width() - self.width()) // 2),
                  max(0, self.host.height() - self.height() - 48))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
