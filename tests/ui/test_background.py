"""ui.background: blocking work leaves the UI thread and comes back with its result or error."""

from __future__ import annotations

import threading

import pytest

from ui import errors


def test_db_work_runs_on_one_thread_and_returns_on_ui_thread(qtbot, bg):
    ui_thread = threading.get_ident()
    seen_threads, results = [], []
    for i in range(5):
        bg.db(lambda i=i: (seen_threads.append(threading.current_thread().name), i * i)[1],
              on_result=lambda r: results.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: len(results) == 5)
    assert [r for r, _ in results] == [0, 1, 4, 9, 16]  # one writer thread keeps the order
    assert {t for _, t in results} == {ui_thread}
    assert len(set(seen_threads)) == 1 and seen_threads[0].startswith("hecha-db")


def test_net_work_runs_off_the_ui_thread_concurrently(qtbot, bg):
    gate = threading.Barrier(2, timeout=5)  # both must be running at once, or this times out
    names = []
    for _ in range(2):
        bg.net(lambda: (gate.wait(), threading.current_thread().name)[1], on_result=names.append)
    qtbot.waitUntil(lambda: len(names) == 2)
    assert all(n.startswith("hecha-net") for n in names)


def test_error_goes_to_on_error_on_ui_thread(qtbot, bg):
    got = []

    def boom():
        raise ValueError("kaputt")

    bg.db(boom, on_result=lambda r: got.append(("result", r)),
          on_error=lambda e: got.append(("error", e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(got))
    kind, exc, tid = got[0]
    assert kind == "error" and isinstance(exc, ValueError) and tid == threading.get_ident()


def test_unhandled_error_is_reported_to_the_worker(qtbot, bg, caplog):
    def boom():
        raise RuntimeError("internal detail")

    with qtbot.waitSignal(bg.sig_job_finished):
        bg.db(boom, name="load worklist")
    assert errors.open_dialogs, "the worker must see a message"
    box = errors.open_dialogs[-1]
    assert "意外错误" in box.text() and "internal detail" not in box.text()
    assert "internal detail" in box.detailedText()
    assert any("load worklist" in r.getMessage() for r in caplog.records)


def test_cancelled_job_never_calls_back(qtbot, bg):
    started, release = threading.Event(), threading.Event()
    bg.db(lambda: (started.set(), release.wait(5)))
    started.wait(5)
    calls = []
    job = bg.db(lambda: 1, on_result=calls.append)  # queued behind the running one
    job.cancel()
    release.set()
    done = []
    bg.db(lambda: 2, on_result=done.append)
    qtbot.waitUntil(lambda: done == [2])
    assert calls == [] and not bg.busy


def test_busy_signal(qtbot, bg):
    states = []
    bg.sig_busy_changed.connect(states.append)
    with qtbot.waitSignal(bg.sig_job_finished):
        bg.net(lambda: None)
    qtbot.waitUntil(lambda: states == [True, False])


def test_async_variants_on_qasync_loop(qapp, bg):
    import asyncio

    import qasync
    loop = qasync.QEventLoop(qapp, already_running=False)
    try:
        async def main():
            a = await bg.db_async(lambda x: x + 1, 1)
            b = await bg.net_async(threading.current_thread)
            with pytest.raises(KeyError):
                await bg.db_async({}.__getitem__, "x")
            return a, b.name

        a, name = loop.run_until_complete(main())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert a == 2 and name.startswith("hecha-net")


def test_shutdown_refuses_new_work(bg):
    bg.shutdown()
    with pytest.raises(RuntimeError):
        bg.db(lambda: None)


def test_reads_do_not_wait_behind_the_writer(qtbot, bg):
    import threading
    release = threading.Event()
    bg.db(release.wait, 10)  # a long write holds the writer thread
    got = []
    bg.read(lambda: threading.current_thread().name, on_result=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got[0].startswith("hecha-read")
    release.set()
