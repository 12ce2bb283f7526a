"""A worker who logs in to a classroom (training) server through the normal login sees the
培训模式 banner; on a real server there is none."""

from __future__ import annotations

import pytest

from client.paths import Settings, app_paths


@pytest.fixture
def bg(qapp):
    from ui.background import Background
    b = Background()
    yield b
    b.shutdown(wait=True)


@pytest.mark.parametrize("training", [True, False])
def test_banner_follows_the_kind_of_server(qtbot, bg, live_server_factory, tmp_path, monkeypatch, training):
    from ui.session import Session

    monkeypatch.setenv("HECHA_HOME", str(tmp_path / "home"))
    server = live_server_factory(training=training)
    settings = Settings.load(tmp_path / "settings.json")
    settings.set("auto_sync_minutes", 0)
    settings.set("idle_lock_minutes", 30)
    session = Session(app_paths().ensure(), settings, bg, server_url=server.url, username="alice")
    session.start()
    session.login.password.setText("alice-pw")
    session.login.submit()
    qtbot.waitUntil(lambda: session.window is not None, timeout=20_000)
    w = session.window
    qtbot.addWidget(w)
    try:
        assert w.banner.isVisible() is training
        if training:
            assert "培训模式" in w.banner.text() and "alice" in w.banner.text()
    finally:
        w.sync.stop()
        qtbot.waitUntil(lambda: not bg.busy, timeout=20_000)  # the window's first queries are done
        w.close()
        session.shutdown()


def test_login_dialog_refuses_a_training_store_on_a_real_server(qtbot, bg, live_server_factory, tmp_path):
    from client.workspace import Workspace
    from ui.login_dialog import LoginDialog

    school = live_server_factory(training=True)
    real = live_server_factory()
    data = tmp_path / "data"
    ws = Workspace.login(data, school.url, "alice", "alice-pw")
    ws.sync()
    ws.cannot_verify("E-1", "unverifiable")
    ws.close()
    settings = Settings.load(tmp_path / "settings.json")
    dlg = LoginDialog(bg, data, settings, server_url=real.url, username="alice")
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.password.setText("alice-pw")
    dlg.submit()
    qtbot.waitUntil(lambda: "不能同步到正式服务器" in dlg.status.text(), timeout=20_000)
    assert dlg.status.property("role") == "error"
    with real.store.read() as conn:
        assert real.store.get_case(conn, "E-1")["status"] == "open"
