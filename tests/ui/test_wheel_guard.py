"""Issue 15.2: the wheel scrolls the form and never changes an unfocused combo box or spin box;
the change summary names the codes."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDateEdit, QScrollArea, QVBoxLayout, QWidget

from client.domain.models import Person
from ui.person_form import PersonForm
from ui.widgets.wheel_guard import install_wheel_guard


def _wheel(widget: QWidget, notches: int = -1, child: bool = True) -> None:
    """A wheel event where the pointer is: the child under the centre gets it first (the line
    edit of an editable combo box), as from the window system."""
    target = (widget.childAt(widget.rect().center()) if child else None) or widget
    pos = QPointF(target.rect().center())
    glob = QPointF(target.mapToGlobal(target.rect().center()))
    event = QWheelEvent(pos, glob, QPoint(0, 0), QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(target, event)


def _scrolled_form(qtbot):
    install_wheel_guard(QApplication.instance())
    area = QScrollArea()
    area.setWidgetResizable(True)
    page = QWidget()
    lay = QVBoxLayout(page)
    form = PersonForm(page)
    extra = QDateEdit(page)
    lay.addWidget(form)
    lay.addWidget(extra)
    area.setWidget(page)
    area.resize(600, 250)  # much shorter than the form: it scrolls
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    form.set_person(Person.from_dict({"name": "张伟", "sex": "1", "ethnicity": "01",
                                      "birth_date": "1990-01-01"}))
    return area, form, extra


def test_wheel_over_an_unfocused_combo_scrolls_the_form_and_keeps_the_value(qtbot):
    area, form, extra = _scrolled_form(qtbot)
    combo = form.rows["ethnicity"].editor
    form.rows["name"].editor.setFocus()
    bar = area.verticalScrollBar()
    before = bar.value()
    _wheel(combo, -1)
    assert combo.code() == "01"
    assert bar.value() > before  # the form scrolled instead
    date_before = extra.date()
    _wheel(extra, -1)
    assert extra.date() == date_before


def test_a_focused_combo_takes_the_wheel(qtbot):
    _area, form, _extra = _scrolled_form(qtbot)
    combo = form.rows["ethnicity"].editor
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo, -1, child=False)  # (a sent event does not travel up from the child)
    assert combo.code() != "01"


def test_the_change_summary_shows_names_not_codes(qtbot, window):
    from tests.ui.test_app_workflow import _open
    _open(qtbot, window, "E-1")
    editor = window.editor
    with qtbot.waitSignal(editor.form.sig_edited, timeout=3000):
        editor.form.rows["ethnicity"].editor.set_code("02", emit=True)
    text = editor.compare.text()
    assert "民族" in text and "蒙古族" in text and "汉族" in text, text
