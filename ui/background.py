"""The one way the UI runs blocking work: a database thread for the UI's writes, a reader thread
for list queries, and a network pool (a sync runs there and writes the store between requests).

`bg.db(fn, ...)` (writes), `bg.read(fn, ...)` (queries), `bg.net(fn, ...)` run `fn` off the UI
thread and call `on_result` or
`on_error` back on the UI thread (through a queued Qt signal). `await bg.db_async(...)` is the
same for coroutines on the qasync loop. Errors nobody handles go to ui.errors.report_error.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class Job:
    """A piece of work handed to an executor. `cancel()` prevents the callbacks (and the work
    itself if it has not started); long jobs also watch `cancelled` through their state object."""

    def __init__(self, name: str, on_result: Callable | None, on_error: Callable | None):
        self.name = name
        self.on_result = on_result
        self.on_error = on_error
        self.future: Future | None = None
        self.cancelled = threading.Event()
        self.finished = False

    def cancel(self) -> None:
        self.cancelled.set()
        if self.future is not None:
            self.future.cancel()

    @property
    def running(self) -> bool:
        return not self.finished


class Background(QObject):
    """Executors for blocking work and the bridge back to the UI thread."""

    sig_job_finished = Signal(object)
    """Emitted on the UI thread after a job's callbacks ran (argument: the Job)."""

    sig_busy_changed = Signal(bool)
    """True while at least one job is pending or running."""

    _relay = Signal(object, object, object)  # job, result, exception: crosses threads queued

    def __init__(self, parent: QObject | None = None, network_threads: int = 4):
        super().__init__(parent)
        # The UI's writes run here, one after another. A running sync writes from its network
        # thread; the store's write lock serialises the two (client/store/database.py).
        self._db = ThreadPoolExecutor(1, thread_name_prefix="hecha-db")
        self._net = ThreadPoolExecutor(network_threads, thread_name_prefix="hecha-net")
        # Queries for lists and counts: SQLite (WAL) lets them run beside the writer, so a long
        # list query never waits behind a save, and a save never waits behind a list query.
        self._read = ThreadPoolExecutor(1, thread_name_prefix="hecha-read")
        self._jobs: set[Job] = set()  # keeps references until the callbacks ran
        self._closed = False
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # -- callback style ------------------------------------------------------------------------

    def db(self, fn: Callable, *args, on_result: Callable | None = None,
           on_error: Callable | None = None, name: str = "", **kwargs) -> Job:
        """Run fn(*args, **kwargs) on the database thread."""
        return self._submit(self._db, fn, args, kwargs, on_result, on_error, name)

    def read(self, fn: Callable, *args, on_result: Callable | None = None,
             on_error: Callable | None = None, name: str = "", **kwargs) -> Job:
        """Run a read-only query fn(*args, **kwargs) on the reader thread."""
        return self._submit(self._read, fn, args, kwargs, on_result, on_error, name)

    def net(self, fn: Callable, *args, on_result: Callable | None = None,
            on_error: Callable | None = None, name: str = "", **kwargs) -> Job:
        """Run fn(*args, **kwargs) on a network thread."""
        return self._submit(self._net, fn, args, kwargs, on_result, on_error, name)

    def _submit(self, executor, fn, args, kwargs, on_result, on_error, name) -> Job:
        if self._closed:
            raise RuntimeError("background executors are shut down")
        job = Job(name or getattr(fn, "__name__", "job"), on_result, on_error)
        was_idle = not self._jobs
        self._jobs.add(job)

        def work():
            if job.cancelled.is_set():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - every error goes back to the UI
                self._emit(job, None, exc)
            else:
                self._emit(job, result, None)

        job.future = executor.submit(work)
        def done(f: Future[Any]) -> None:
            if f.cancelled():
                self._emit(job, None, None)

        job.future.add_done_callback(done)
        if was_idle:
            self.sig_busy_changed.emit(True)
        return job

    def _emit(self, job, result, exc) -> None:
        try:
            self._relay.emit(job, result, exc)
        except RuntimeError:
            pass  # the QObject is gone (application quitting): nobody is left to tell

    def _deliver(self, job: Job, result: Any, exc: BaseException | None) -> None:
        if job not in self._jobs:
            return
        self._jobs.discard(job)
        job.finished = True
        try:
            if job.cancelled.is_set():
                return
            if exc is not None:
                if job.on_error is not None:
                    job.on_error(exc)
                else:
                    from ui.errors import report_error
                    report_error(exc, context=job.name)
            elif job.on_result is not None:
                job.on_result(result)
        finally:
            self.sig_job_finished.emit(job)
            if not self._jobs:
                self.sig_busy_changed.emit(False)

    # -- coroutine style (qasync loop) ---------------------------------------------------------

    async def db_async(self, fn: Callable, *args, **kwargs) -> Any:
        return await self._await(self._db, fn, args, kwargs)

    async def net_async(self, fn: Callable, *args, **kwargs) -> Any:
        return await self._await(self._net, fn, args, kwargs)

    async def _await(self, executor, fn, args, kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, lambda: fn(*args, **kwargs))

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def closed(self) -> bool:
        """True once shutdown() ran: no more work is accepted."""
        return self._closed

    def run_blocking_on_db(self, fn: Callable, *args, **kwargs) -> Any:
        """Run fn on the database thread and wait for it. Only for shutdown and tests, where the
        UI may block (e.g. closing the store after the last write)."""
        return self._db.submit(fn, *args, **kwargs).result()

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work; cancel what has not started; optionally wait for running jobs.
        The database thread always finishes its current transaction (never cut a commit)."""
        if self._closed:
            return
        self._closed = True
        for job in list(self._jobs):
            job.cancel()
        self._net.shutdown(wait=False, cancel_futures=True)
        self._read.shutdown(wait=wait, cancel_futures=True)
        self._db.shutdown(wait=wait, cancel_futures=True)
