"""Previous / next of a case opened outside the list on screen (from the outbox, the history, a
search, a conflict or the supervision drill-down) move within the list the case belongs to, on
every kind's case screen (real main window, reference server on loopback, real store)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from tests.support.builder import TOWN_A, VILLAGE_A, DataBuilder


def three_of_each():
    """alice: E-1..E-3 error cases, B-1..B-3 newborns, D-1..D-3 duplicates."""
    b = DataBuilder(seed=5)
    b.user("alice", "alice-pw", "township", TOWN_A, "王小丽")
    for _ in range(3):
        hid, husband, wife = b.family(VILLAGE_A)
        p = b.get(husband)
        p["id_number"] = p["id_number"][:17] + ("0" if p["id_number"][17] != "0" else "1")
        b.error_case(husband, "alice")
        b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
        dup_hid = b.household(VILLAGE_A)
        a = b.person(dup_hid, relation="02", sex="1", birth=date(1970, 1, 2))
        b.duplicates_case([a, b.twin(a)], "alice", "same_id")
    return b.build()


@pytest.fixture
def live_server(live_server_factory):
    return live_server_factory(three_of_each())


@pytest.mark.parametrize("kind, other", [("birth", "error"), ("error", "pending"),
                                         ("duplicates", "birth")])
def test_a_case_opened_outside_its_list_moves_within_its_own_list(qtbot, bg, window, kind, other):
    # The kind's own list, as the worker sees it.
    window.nav.select(kind)
    qtbot.waitUntil(lambda: window.worklist.list_key == kind and not window.worklist.model.loading
                    and window.worklist.model.rowCount() == 3, timeout=5000)
    ids = window.worklist.model.ids()
    middle = ids[1]
    # Another list on screen (one that does not hold the case), the case opened from elsewhere
    # (as the outbox, the history, a search or the supervision drill-down do).
    window.nav.select(other)
    qtbot.waitUntil(lambda: window.worklist.list_key == other and not window.worklist.model.loading,
                    timeout=5000)
    assert window.worklist.model.row_of(middle) < 0
    window.open_case(middle)
    page = window.case_pages[kind]
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page and page.task.id == middle,
                    timeout=5000)
    qtbot.waitUntil(lambda: page.prev_button.isEnabled() and page.next_button.isEnabled(),
                    timeout=5000)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task.id == ids[2], timeout=5000)
    qtbot.waitUntil(lambda: page.prev_button.isEnabled() and not page.next_button.isEnabled(),
                    timeout=5000)
    qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task.id == middle, timeout=5000)
    qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task.id == ids[0], timeout=5000)
    qtbot.waitUntil(lambda: not page.prev_button.isEnabled() and page.next_button.isEnabled(),
                    timeout=5000)
    assert window.worklist.list_key == other  # the list on screen stays as the worker left it


def test_a_processed_case_opened_from_the_outbox_moves_within_the_pending_list(qtbot, bg, window):
    """A case no longer open belongs to its state's list (here 已处理待上传), not its kind's."""
    for cid in ("E-1", "E-2", "E-3"):
        bg.db(window.ws.cannot_verify, cid, "not_local")
    qtbot.waitUntil(lambda: not bg.busy, timeout=10_000)
    window.nav.select("pending")
    qtbot.waitUntil(lambda: window.worklist.list_key == "pending" and not window.worklist.model.loading
                    and window.worklist.model.rowCount() == 3, timeout=5000)
    ids = window.worklist.model.ids()
    window.nav.select("error")  # the error list no longer holds them
    qtbot.waitUntil(lambda: window.worklist.list_key == "error" and not window.worklist.model.loading,
                    timeout=5000)
    assert window.worklist.model.row_of(ids[1]) < 0
    window.open_case(ids[1])
    page = window.editor
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page and page.task.id == ids[1],
                    timeout=5000)
    qtbot.waitUntil(lambda: page.prev_button.isEnabled() and page.next_button.isEnabled(),
                    timeout=5000)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task.id == ids[2], timeout=5000)
