"""The training window (pytest-qt, offscreen): amber 培训模式 banner with the account, the 培训 menu,
and a reset that brings the server and the worker's store back to the starting state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from client.training.demo import DemoSession

PEOPLE = 1500


@pytest.fixture
def bg(qapp):
    from ui.background import Background
    b = Background()
    yield b
    b.shutdown(wait=True)


@pytest.fixture
def controller(qtbot, bg, tmp_path, monkeypatch):
    from client.paths import Settings
    from ui.demo_window import DemoController

    monkeypatch.setenv("HECHA_HOME", str(tmp_path / "home"))
    settings = Settings.load(tmp_path / "training" / "settings.json")
    settings.set("auto_sync_minutes", 0)
    settings.set("idle_lock_minutes", 30)
    session = DemoSession(tmp_path / "training", people=PEOPLE)
    c = DemoController(bg, settings, session)
    with qtbot.waitSignals([c.sig_window_shown, c.sig_synced], timeout=120_000, order="strict"):
        c.start()
    yield c
    if c.window is not None:
        c.window.sync.stop()
        qtbot.waitUntil(lambda: not bg.busy, timeout=20_000)
        c.window.close()
    bg.run_blocking_on_db(session.close_workspace)
    session.close()


def _action(window, text):
    for menu_action in window.menuBar().actions():
        for a in menu_action.menu().actions():
            if a.text() == text:
                return a
    raise AssertionError(f"no menu action {text}")


def test_window_shows_training_banner_and_account(qtbot, controller):
    w = controller.window
    a = controller.session.account
    assert w.isVisible() and w.banner.isVisible()
    assert w.banner.property("role") == "banner"  # the amber style of resources/styles/hecha.qss
    text = w.banner.text()
    assert text.startswith("培训模式 · 账号 xz001") and a["display_name"] in text and a["password"] in text
    assert "培训模式" in w.windowTitle()
    assert w.user_label.text() == a["display_name"]
    # the worker's cases arrived with the first sync and the list shows them
    qtbot.waitUntil(lambda: w.worklist.model.rowCount() > 0, timeout=10_000)
    assert controller.last_report.pulled == controller.session.workspace.count() > 0
    assert _action(w, "重置培训数据…").isEnabled()
    # the accounts box lists the server address and every demo account with its password
    from ui import errors
    _action(w, "培训账号与服务器地址…").trigger()
    box = errors.open_dialogs[-1]
    assert controller.session.server.url in box.text()
    assert f"xz001" in box.text() and a["password"] in box.text() and "trainer" in box.text()
    box.close()


def test_reset_restores_the_starting_state(qtbot, bg, controller):
    session = controller.session
    ws = session.workspace
    first = controller.window
    total = ws.count()
    task = ws.tasks(kind="error")[0].id
    bg.run_blocking_on_db(ws.cannot_verify, task, "unverifiable", note="练习")
    unsent = ws.tasks(kind="error")[1].id
    report = ws.sync()  # the first edit reaches the training server
    assert report.pushed == 1
    bg.run_blocking_on_db(ws.cannot_verify, unsent, "not_local")  # this one stays unsent
    assert ws.pending_count() == 1
    with session.server.trainer() as trainer:
        assert trainer.case(task)["status"] == "completed"

    with qtbot.waitSignals([controller.sig_reset_done, controller.sig_synced], timeout=120_000):
        controller.reset()
    new = controller.window
    assert new is not None and new is not first and new.banner.isVisible()
    ws2 = session.workspace
    assert ws2 is not ws
    assert ws2.pending_count() == 0 and ws2.count() == total
    assert ws2.task(task).status == "open" and ws2.task(unsent).status == "open"
    with session.server.trainer() as trainer:
        assert trainer.case(task)["status"] == "open"


def test_ask_reset_needs_a_confirmation(qtbot, controller):
    from PySide6.QtWidgets import QMessageBox
    first = controller.window
    _action(first, "重置培训数据…").trigger()
    box = controller._reset_box
    assert box.isVisible() and "练习修改" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert controller.window is first  # nothing reset


def test_check_mode_opens_the_window_syncs_and_exits_zero(tmp_path):
    env = dict(os.environ, HECHA_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-m", "client", "demo", "--check", "--json", "--people", str(PEOPLE)],
                       cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True and summary["username"] == "xz001" and summary["pulled"] > 0
    s = summary["seconds"]
    assert 0 < s["first_window"] <= s["window"] <= s["first_sync"]
    # --check uses a temporary training directory and leaves nothing behind
    assert not (tmp_path / "home" / "data" / "training").exists()


def _fix_some_birth_date(ws):
    """Save (not send) a birth-date correction on the first error case where the ID number's
    date is an acceptable fix; returns the task id."""
    from client.domain.idnumber import check_id_number
    for t in ws.tasks(kind="error"):
        chk = check_id_number(t.data["person"].get("id_number") or "")
        if not chk.valid or t.data["person"].get("birth_date") == chk.birth_date.isoformat():
            continue
        try:
            ws.fix_error(t.id, {"birth_date": chk.birth_date.isoformat()}, note="按证号改正")
        except Exception:  # noqa: BLE001 - other problems on this record: try the next one
            continue
        return t.id
    raise AssertionError("no error case in the demo list takes a birth-date fix from its ID number")


def test_solo_demo_simulates_office_edit_and_withdrawal(qtbot, bg, controller):
    from ui import errors
    w = controller.window
    ws = controller.session.workspace
    # nothing changed locally yet: the office edit is refused with the reason
    w.worklist.table.setFocus()
    qtbot.waitUntil(lambda: w.worklist.model.rowCount() > 0, timeout=10_000)
    first = w.worklist.model.index(0, 0)
    w.worklist.table.setCurrentIndex(first)
    plain = controller.current_task_id()
    assert plain
    with qtbot.waitSignal(bg.sig_job_finished, timeout=20_000,
                          check_params_cb=lambda job: job.name == "demo-simulate"):
        _action(w, "模拟县办修改当前记录（制造冲突）").trigger()
    assert "请先在一条异常数据上修改字段" in errors.open_dialogs[-1].text()

    task_id = bg.run_blocking_on_db(_fix_some_birth_date, ws)
    w.open_case(task_id)
    qtbot.waitUntil(lambda: controller.current_task_id() == task_id, timeout=10_000)
    with qtbot.waitSignal(controller.sig_simulated, timeout=20_000):
        _action(w, "模拟县办修改当前记录（制造冲突）").trigger()
    with qtbot.waitSignal(w.sync.sig_finished, timeout=30_000) as got:
        w.sync.sync_now()
    assert task_id in got.args[0].conflicts
    view = ws.task(task_id)
    mine = view.overlay["changes"]["birth_date"]
    server = view.conflict["fields"]["birth_date"]["server"]
    assert server != mine and server != view.conflict["fields"]["birth_date"].get("base")

    # withdraw the case on screen (another, untouched one)
    other = next(t.id for t in ws.tasks(kind="duplicates"))
    w.open_case(other)
    qtbot.waitUntil(lambda: controller.current_task_id() == other, timeout=10_000)
    with qtbot.waitSignal(controller.sig_simulated, timeout=20_000):
        _action(w, "模拟省平台撤回当前任务").trigger()
    with qtbot.waitSignal(w.sync.sig_finished, timeout=30_000):
        w.sync.sync_now()
    assert ws.task(other).removed


def test_start_failure_is_shown_and_ends_with_status_1(qtbot, bg, tmp_path):
    from client.paths import Settings
    from ui import errors
    from ui.demo_window import DemoController

    root = tmp_path / "training"
    root.mkdir()
    (root / "server.db").write_bytes(b"not a database" * 200)
    c = DemoController(bg, Settings.load(tmp_path / "s.json"), DemoSession(root, people=300))
    with qtbot.waitSignal(c.sig_failed, timeout=60_000) as got:
        c.start()
    assert "hecha demo --fresh" in got.args[0]
    box = errors.open_dialogs[-1]
    assert box.isVisible() and "培训模式启动失败" in box.text()
    assert c.preparing is not None and c.preparing.isVisible() and c.window is None
    box.done(0)
    assert c.exit_code == 1
    c.preparing.close()
    c.session.close()
