"""Issue 15.7: nothing the worker needs is cut off in large-font mode: the whole ID number, the
village end of an address path (its start marked by "…", never silently cut), captions beside
their editors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QScrollArea

from tests.ui.test_app_workflow import _open
from ui import app as ui_app


@pytest.fixture
def large(qtbot):
    app = QApplication.instance()
    yield lambda: (ui_app.apply_fonts(app, True, 1.35), qtbot.wait(200))
    ui_app.apply_fonts(app, False, 1.35)


def _centre_y(widget, window) -> int:
    return widget.mapTo(window, QPoint(0, widget.height() // 2)).y()


def test_large_font_keeps_the_id_number_whole_and_captions_beside_editors(qtbot, window, large):
    _open(qtbot, window, "E-1")
    form = window.editor.form
    id_row = form.rows["id_number"]
    large()
    edit = id_row.editor.edit
    number = id_row.editor.value()
    qtbot.waitUntil(lambda: edit.width() >= edit.fontMetrics().horizontalAdvance(number) + 8)
    assert edit.font().pointSizeF() > 12
    for name in ("id_number", "name", "hukou_type", "hukou_place"):
        row = form.rows[name]
        editor = row.editor.edit if name == "id_number" else row.editor
        caption = form.captions[name]
        assert abs(_centre_y(caption, window) - _centre_y(editor, window)) <= 3, name


def test_address_paths_show_the_village_and_mark_a_cut_start(qtbot, window, large):
    _open(qtbot, window, "E-1")
    picker = window.editor.form.rows["hukou_place"].editor
    full = picker.tree.path_name(picker.code(), " › ")
    village = full.split(" › ")[-1]
    large()
    picker.display.setMinimumWidth(0)
    picker.setFixedWidth(picker.display.fontMetrics().horizontalAdvance(village) * 2)
    display = picker.display

    def fits() -> bool:
        return display.fontMetrics().horizontalAdvance(display.text()) <= display.contentsRect().width()

    qtbot.waitUntil(lambda: display.text().startswith("…") and fits())  # after the resize
    text = display.text()
    assert text.endswith(village) and text != full
    assert full in picker.toolTip()
    picker.setFixedWidth(picker.display.fontMetrics().horizontalAdvance(full) + 200)
    qtbot.waitUntil(lambda: picker.display.text() == full)


def test_worklist_columns_widen_with_the_font(qtbot, window, large):
    table = window.worklist.table
    number = window.worklist.model.index(0, 3).data()
    assert len(number) == 18
    large()
    qtbot.waitUntil(lambda: table.columnWidth(3) >= table.fontMetrics().horizontalAdvance(number) + 12)
    assert table.fontMetrics().height() > 18


@pytest.mark.parametrize("width", [1366, 1024])
def test_form_sections_stack_when_two_columns_do_not_fit(qtbot, window, large, width):
    """Large font on a small screen: the sections go one under the other instead of running
    off the right edge (the 证件 box of the newborn screen was cut off)."""
    from PySide6.QtCore import QRect
    from ui.window_geometry import fit_rect
    window.nav.select("birth")
    model = window.worklist.model
    qtbot.waitUntil(lambda: model.query.kind == "birth" and not model.loading
                    and model.rowCount() > 0, timeout=5000)
    window.open_case(window.worklist.model.id_at(0))
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.births, timeout=5000)
    large()
    window.setGeometry(fit_rect(None, QRect(0, 0, width, 728), window.minimumSizeHint()))
    form = window.births.form
    qtbot.wait(200)
    viewport = form._viewport
    assert viewport is not None
    scroll = next(s for s in window.births.findChildren(QScrollArea) if s.widget() is not None
                  and s.widget().isAncestorOf(form))
    # No sideways scrolling (it took about 10 px at 1024): the certificate's lines go under
    # their captions instead, and the parents' lines keep the width of their longest word
    # (the ID number on one line).
    assert not scroll.horizontalScrollBar().isVisible(), scroll.horizontalScrollBar().maximum()
    for key in ("mother", "father"):
        line = window.births.cert_labels[key]
        assert line.width() >= line.minimumSizeHint().width(), key
    if width == 1024:
        assert form.columns == 1
        return
    for box in form.boxes:
        right = box.mapTo(viewport, QPoint(box.width(), 0)).x()
        assert right <= viewport.width(), (width, box.title(), right, viewport.width())


@pytest.mark.parametrize("styled", [False, True])
def test_case_screen_titles_scale_with_the_font(qtbot, window, large, styled):
    app = QApplication.instance()
    if styled:  # the app's style sheet changes how a new font reaches widgets
        ui_app.apply_style(app)
        qtbot.wait(50)
    try:
        _check_titles(qtbot, window, large)
    finally:
        app.setStyleSheet("")


def _check_titles(qtbot, window, large):
    _open(qtbot, window, "E-1")
    screens = [window.editor, window.births, window.duplicates, window.conflicts]
    before = {id(s): s.title.font().pointSizeF() for s in screens}
    app_size = QApplication.font().pointSizeF()
    assert all(abs(size - app_size * 1.25) < 0.01 for size in before.values())
    large()
    for screen in screens:
        size = screen.title.font().pointSizeF()
        assert abs(size - QApplication.font().pointSizeF() * 1.25) < 0.01, type(screen).__name__
        assert size >= before[id(screen)] * 1.3 and screen.title.font().bold()
