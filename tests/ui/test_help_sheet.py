"""Issue 15.8 leftovers: the 快捷键 sheet fits the screen's available height, also in large font
on a 768 px screen (it was ~820 px tall), in two columns that scroll rather than run off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication

from ui import app as ui_app
from ui import help_sheet
from ui.window_geometry import FRAME

TASK_BAR = 40


@pytest.mark.parametrize("screen", [QSize(1366, 768), QSize(1024, 768)])
def test_the_shortcut_sheet_fits_small_screens_in_large_font(qtbot, window, screen):
    app = QApplication.instance()
    ui_app.apply_fonts(app, True, 1.35)
    try:
        qtbot.wait(50)
        available = QRect(QPoint(0, 0), QSize(screen.width(), screen.height() - TASK_BAR))
        sheet = help_sheet.show_shortcuts(window, available)
        qtbot.waitExposed(sheet)
        room = available.marginsRemoved(FRAME)
        assert room.contains(sheet.frameGeometry()), (sheet.frameGeometry(), room)
        browser = sheet.browser
        assert browser.font().pointSizeF() > 12
        # The whole content is reachable: no sideways scrolling, the rest by scrolling down.
        assert browser.horizontalScrollBar().maximum() == 0
        bar = browser.verticalScrollBar()
        assert browser.document().size().height() <= browser.viewport().height() + bar.maximum() + 1
        text = sheet.text()
        for keys in ("Ctrl+K", "Ctrl+U", "Ctrl+R", "Ctrl+M", "PgDown", "F5", "F1"):
            assert keys in text, keys
        sheet.close()
    finally:
        ui_app.apply_fonts(app, False, 1.35)


def test_the_shortcut_sheet_shows_everything_at_once_on_a_large_screen(qtbot, window):
    available = QRect(0, 0, 1920, 1040)
    sheet = help_sheet.show_shortcuts(window, available)
    qtbot.waitExposed(sheet)
    assert sheet.browser.verticalScrollBar().maximum() == 0
    assert sheet.browser.horizontalScrollBar().maximum() == 0
    assert sheet.height() < 1040 - FRAME.top() - FRAME.bottom()
    sheet.close()
