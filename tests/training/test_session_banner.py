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
    settings.set("idle_lock_minutes", 0)
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
