"""The sync controller's timers and the status bar's words, without a server (the end-to-end
sync tests live in test_app_workflow.py)."""

from __future__ import annotations

from types import SimpleNamespace

from sync.client import errors as E
from ui.sync_status import (RETRY_WHILE_OFFLINE_MS, SyncController, SyncStatusBar,
                            format_server_time)


class _Workspace:
    """Only what the controller touches; sync() raises what a real transport would."""

    def __init__(self, exc=None, report=None):
        self.exc, self.report = exc, report

    def sync(self, state):
        state.step("pull")
        if self.exc:
            raise self.exc
        return self.report


def _report(**kw):
    base = dict(pushed=2, pulled=5, conflicts=[], rejected=[], gone=[], server_time=None,
                changes=SimpleNamespace(tasks=frozenset(), outbox=True, all_tasks=False))
    base.update(kw)
    return SimpleNamespace(**base)


def test_interval_and_offline_retry(qapp, bg):
    c = SyncController(bg, _Workspace(), online=True, auto_minutes=10)
    assert c.timer.isActive() and c.timer.interval() == 10 * 60_000
    c._set_online(False)  # offline: try again soon, so work goes up when the VPN is back
    assert c.timer.interval() == RETRY_WHILE_OFFLINE_MS
    c.set_interval(0)
    assert not c.timer.isActive()


def test_failure_goes_offline_and_reads_plainly(qtbot, bg):
    c = SyncController(bg, _Workspace(exc=E.OfflineError("ConnectionError: Pool")), online=True)
    bar = SyncStatusBar(c)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(c.sig_failed, timeout=5000):
        assert c.sync_now()
    assert c.online is False and bar.online_label.text().startswith("○")
    text = bar.message_label.property("full_text")
    assert "VPN" in text and "Pool" not in text
    assert bar.sync_button.isEnabled() and not bar.cancel_button.isVisible()


def test_login_expired_offers_login(qtbot, bg):
    c = SyncController(bg, _Workspace(exc=E.AuthExpired("401")), online=True)
    bar = SyncStatusBar(c)
    qtbot.addWidget(bar)
    bar.show()
    with qtbot.waitSignal(c.sig_failed, timeout=5000):
        c.sync_now()
    assert bar.login_button.isVisible() and "重新输入密码" in bar.message_label.property("full_text")


def test_report_with_conflicts_and_returns(qtbot, bg):
    c = SyncController(bg, _Workspace(report=_report(conflicts=["E-1"], rejected=["E-2"],
                                                     server_time="2026-11-01T02:00:00+00:00")),
                       online=None)
    bar = SyncStatusBar(c)
    qtbot.addWidget(bar)
    assert bar.online_label.text().startswith("◌")
    with qtbot.waitSignal(c.sig_finished, timeout=5000):
        c.sync_now()
    text = bar.message_label.property("full_text")
    assert "上传 2 条" in text and "1 条冲突" in text and "1 条被退回" in text
    assert c.online is True and bar.online_label.text().startswith("●")
    assert format_server_time("2026-11-01T02:00:00+00:00") in bar.last_sync_label.text()


def test_one_sync_at_a_time(qtbot, bg):
    import threading
    gate = threading.Event()

    class Slow(_Workspace):
        def sync(self, state):
            gate.wait(5)
            return _report()

    c = SyncController(bg, Slow(), online=True)
    assert c.sync_now() and not c.sync_now()
    gate.set()
    qtbot.waitUntil(lambda: not c.running, timeout=5000)


def test_server_time_format():
    assert format_server_time(None) == "从未同步"
    assert format_server_time("garbage") == "garbage"


def test_timer_tick_after_shutdown_starts_nothing(qapp):
    from ui.background import Background
    helper = Background()
    c = SyncController(helper, _Workspace(), online=False, auto_minutes=10)
    helper.shutdown()
    c.sync_in_background()  # a late tick of the retry timer while the app quits
    assert not c.running and not c.timer.isActive()
