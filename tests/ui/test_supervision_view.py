"""辖区进度 against the live server: a county account's page after a worker synced, drill-down and
reassignment by keyboard, a refusal shown, and the page opened offline from the store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.support.builder import TOWN_A, TOWN_B
from tests.ui.conftest import wait_idle


def _county(live_server, tmp_path):
    from client.workspace import Workspace
    from ui.login_dialog import gui_retry_policy
    ws = Workspace.login(tmp_path / "county", live_server.url, "carol", "carol-pw", retry=gui_retry_policy())
    ws.sync()
    return ws


def _rows(view) -> dict[str, list[str]]:
    from ui.supervision_view import CODE_ROLE
    out = {}
    for r in range(view.table.rowCount()):
        code = view.table.item(r, 0).data(CODE_ROLE)
        out[code or "total"] = [view.table.item(r, c).text() for c in range(view.table.columnCount())]
    return out


def test_county_page_drills_down_reassigns_and_opens_offline(qtbot, bg, workspace, live_server, settings,
                                                             tmp_path):
    from client.store import set_state
    from client.workspace import Workspace
    from ui.main_window import MainWindow
    from ui.supervision_view import COLUMNS
    workspace.cannot_verify("E-1", "not_local")
    workspace.sync()
    county = _county(live_server, tmp_path)
    w = MainWindow(bg, county, settings, online=True)
    qtbot.addWidget(w)
    w.show()
    assert w.supervision is not None
    w.nav.select("supervision")
    view = w.supervision
    qtbot.waitUntil(lambda: TOWN_A in _rows(view) and "离线" not in view.as_of.text(), timeout=10_000)
    wait_idle(qtbot, bg)
    col = {key: i for i, (key, _l) in enumerate(COLUMNS)}
    rows = _rows(view)
    assert rows[TOWN_A][col["open"]] == "5" and rows[TOWN_A][col["done"]] == "1"
    assert rows[TOWN_B][col["open"]] == "1" and rows["total"][col["open"]] == "6"
    assert "alice" in rows[TOWN_A][col["workers"]] and "bob 从未同步" in rows[TOWN_B][col["workers"]]
    assert view.as_of.text().startswith("截至")
    # keyboard: pick township A, Enter drills down to its villages; Backspace goes back up
    view.table.setFocus()
    view.table.setCurrentCell(list(rows).index(TOWN_A), 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.level == "village" and all(
        k == "total" or k.startswith(TOWN_A) for k in _rows(view)) and len(_rows(view)) > 1, timeout=10_000)
    view.table.setCurrentCell(0, 0)
    qtbot.waitUntil(lambda: view.cases.rowCount() == 6, timeout=10_000)
    ids = [view.cases.item(r, 0).text() for r in range(view.cases.rowCount())]
    view.cases.setCurrentCell(ids.index("E-4"), 0)
    view.reassign_to("E-4", "dora")
    wait_idle(qtbot, bg)
    assert county.office_case("E-4")["assigned_to"] == "dora"
    # any case of the jurisdiction opens read-only with its history (Enter on the case list)
    qtbot.waitUntil(lambda: view.cases.rowCount() == 6, timeout=10_000)
    ids = [view.cases.item(r, 0).text() for r in range(view.cases.rowCount())]
    view.cases.setCurrentCell(ids.index("E-4"), 0)
    qtbot.keyClick(view.cases, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(view, "dialog", None) is not None and view.dialog.isVisible(), timeout=10_000)
    assert "admin_reassign" in view.dialog.history.toPlainText() and "dora" in view.dialog.summary.text()
    view.dialog.reject()
    # a worker whose township does not cover the case: refused, and the reason is shown
    view.reassign_to("E-2", "bob")
    qtbot.waitUntil(lambda: any(isinstance(b, QMessageBox) and "辖区" in b.text()
                                for b in QApplication.topLevelWidgets()), timeout=10_000)
    assert county.office_case("E-2")["assigned_to"] == "alice"
    qtbot.keyClick(view.table, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: view.level == "township" and TOWN_B in _rows(view), timeout=10_000)
    assert view.cases.rowCount() == 0 and not view.reassign_button.isEnabled()
    path = tmp_path / "supervision.png"
    assert w.grab().save(str(path)) and path.stat().st_size > 10_000
    wait_idle(qtbot, bg)
    w.close()
    county.close()
    # offline: nothing listens at the server address any more; the page shows the stored figures
    offline = Workspace.unlock(tmp_path / "county", "carol", "carol-pw")
    with offline.store.write() as s:
        set_state(s, "server_url", "http://127.0.0.1:9")
    offline.close()
    from sync.client.transport import RetryPolicy
    offline = Workspace.unlock(tmp_path / "county", "carol", "carol-pw",
                               transport_options={"retry": RetryPolicy(max_attempts=1), "timeout": (1.0, 1.0)})
    try:
        from ui.supervision_view import SupervisionView
        page = SupervisionView(bg, offline)
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: "离线" in page.as_of.text(), timeout=10_000)
        rows = _rows(page)
        assert rows[TOWN_A][col["done"]] == "1" and page.as_of.text().startswith("截至")
        wait_idle(qtbot, bg)
    finally:
        offline.close()
