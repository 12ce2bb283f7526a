"""Issue 15.3: the main window opens within the available screen geometry, is remembered, and
every screen fits 1366×768 and 1024×768 (a task bar of 40 px), also in large-font mode: the
status bar with 立即同步, 导出Excel and each screen's action buttons stay on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from ui import app as ui_app
from ui.window_geometry import FRAME, fit_rect

TASK_BAR = 40


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def test_the_window_opens_within_the_available_screen(window):
    available = window.screen().availableGeometry()
    assert _inside(available.marginsRemoved(FRAME), window.geometry()), \
        (available, window.geometry())


@pytest.mark.parametrize("screen", [QSize(1366, 768), QSize(1024, 768), QSize(1920, 1080)])
def test_fit_rect_keeps_the_frame_on_the_screen(screen):
    available = QRect(QPoint(0, 0), QSize(screen.width(), screen.height() - TASK_BAR))
    minimum = QSize(760, 480)
    for wanted in (None, QRect(500, 400, 1280, 800), QRect(-300, -50, 2500, 1400),
                   QRect(100, 100, 900, 600)):
        r = fit_rect(wanted, available, minimum)
        assert _inside(available.marginsRemoved(FRAME), r), (screen, wanted, r)
        assert r.width() >= minimum.width() and r.height() >= minimum.height()
    assert fit_rect(QRect(100, 100, 900, 600), available, minimum) == QRect(100, 100, 900, 600)
    if screen.width() >= 1366 + 100:
        assert fit_rect(None, available, minimum).size() == QSize(1280, 800)


def test_the_geometry_is_remembered(qtbot, bg, workspace, settings):
    from ui.main_window import MainWindow
    first = MainWindow(bg, workspace, settings, online=True)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(QRect(12, 40, 770, 560))
    first.close()
    assert settings.get("window_geometry")
    second = MainWindow(bg, workspace, settings, online=True)
    qtbot.addWidget(second)
    assert second.geometry() == QRect(12, 40, 770, 560)


def _visible_in(window: QWidget, w: QWidget) -> bool:
    top_left = w.mapTo(window, QPoint(0, 0))
    return w.isVisible() and _inside(window.rect(), QRect(top_left, w.size()))


@pytest.mark.parametrize("screen", [QSize(1366, 768), QSize(1024, 768)])
@pytest.mark.parametrize("large", [False, True])
def test_every_screen_fits_small_office_screens(qtbot, window, screen, large):
    """Sized for the screen as place_window would, each page shows its buttons and the status bar."""
    app = QApplication.instance()
    ui_app.apply_fonts(app, large, 1.35)
    try:
        available = QRect(QPoint(0, 0), QSize(screen.width(), screen.height() - TASK_BAR))
        rect = fit_rect(None, available, window.minimumSizeHint())
        assert _inside(available.marginsRemoved(FRAME), rect), (window.minimumSizeHint(), rect)
        window.setGeometry(rect)
        for page in (window.worklist, window.editor, window.births, window.duplicates,
                     window.conflicts, window.outbox):
            window.pages.setCurrentWidget(page)
            qtbot.wait(20)
            assert window.size() == rect.size(), type(page).__name__
            always = [window.status.sync_button]
            buttons = [b for b in page.findChildren(QPushButton) if not b.isHidden()
                       and b.parent() is page]
            for w in always + buttons:
                assert _visible_in(window, w), (type(page).__name__, w.text(), screen, large)
    finally:
        ui_app.apply_fonts(app, False, 1.35)


@pytest.mark.parametrize("large", [False, True])
def test_a_long_status_message_is_cut_visibly_before_the_sync_button(qtbot, window, large):
    """At 1366×768 a long failure reason ends in "…" where 立即同步 begins; the whole text is
    the tooltip (it used to run under the button, cut without a mark)."""
    app = QApplication.instance()
    ui_app.apply_fonts(app, large, 1.35)
    try:
        available = QRect(QPoint(0, 0), QSize(1366, 768 - TASK_BAR))
        window.setGeometry(fit_rect(None, available, window.minimumSizeHint()))
        reason = ("无法连接服务器：请检查网络或 VPN 是否已连接，稍后会自动重试；"
                  "如果一直无法连接，请联系县级管理员核对服务器地址和证书。")
        window.status._message(reason, "warning")
        label, button = window.status.message_label, window.status.sync_button
        qtbot.wait(100)
        assert _visible_in(window, button)
        room = label.contentsRect().width()
        if label.fontMetrics().horizontalAdvance(reason) <= room:
            # normal font: about 760 px of text, shown whole when the status bar leaves the room
            # (its other labels vary with the window's state, so it may not)
            assert not large and label.text() == reason
            return
        assert label.text().endswith("…") and len(label.text()) > 20
        right = label.mapTo(window, QPoint(label.width(), 0)).x()
        assert right <= button.mapTo(window, QPoint(0, 0)).x()
        assert label.fontMetrics().horizontalAdvance(label.text()) <= room
        assert label.toolTip() == reason and label.property("full_text") == reason
        assert label.text()[:-1] and reason.startswith(label.text()[:-1])
        window.status._message("同步完成", "ok")
        qtbot.waitUntil(lambda: label.text() == "同步完成")
    finally:
        ui_app.apply_fonts(app, False, 1.35)
