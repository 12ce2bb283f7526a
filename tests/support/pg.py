"""A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temp dir, a loopback port.

`scripts/setup` installs Debian's `postgresql`; nothing has to be running. The postmaster is our child
process (not daemonized by pg_ctl) and gets SIGINT when this process dies (PR_SET_PDEATHSIG), so a
killed test run leaves no cluster behind. PostgreSQL refuses to run as root: as root, the cluster runs
as `nobody` (its directory is handed to that user).

    with PgCluster() as pg:
        url = pg.new_database()     # postgresql+psycopg://hecha@127.0.0.1:PORT/hecha_1
"""

from __future__ import annotations

import ctypes
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "hecha"
# Durability off: the cluster is thrown away; tests want speed, not crash safety.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                 "max_connections": "300", "shared_buffers": "64MB", "listen_addresses": "127.0.0.1",
                 "log_min_messages": "warning", "max_locks_per_transaction": "256"}


def postgres_bindir() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin (Debian's layout), or the directory of `postgres`."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL is not installed (scripts/setup installs Debian's postgresql package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    def __init__(self, settings: dict[str, str] | None = None):
        self.bindir = postgres_bindir()
        self.settings = {**FAST_SETTINGS, **(settings or {})}
        self.tmp = Path(tempfile.mkdtemp(prefix="hecha-pg-"))
        self.datadir = self.tmp / "data"
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._names = itertools.count(1)
        self._uid = self._gid = None
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            self._uid, self._gid = user.pw_uid, user.pw_gid
            os.chown(self.tmp, self._uid, self._gid)

    def _as_owner(self, die_with_parent: bool = False):
        uid, gid = self._uid, self._gid

        def preexec():
            if uid is not None:
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            if die_with_parent:   # after setuid: a credential change clears the death signal
                ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGINT)
        return preexec

    def start(self, timeout: float = 60) -> "PgCluster":
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        subprocess.run([str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", SUPERUSER, "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, cwd=self.tmp, env=env, preexec_fn=self._as_owner())
        self.port = _free_port()
        args = [str(self.bindir / "postgres"), "-D", str(self.datadir), "-p", str(self.port),
                "-k", str(self.tmp)]
        for key, value in self.settings.items():
            args += ["-c", f"{key}={value}"]
        log = open(self.tmp / "postgres.log", "ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=self.tmp, env=env, preexec_fn=self._as_owner(die_with_parent=True))
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            ready = subprocess.run([str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
                                    "-U", SUPERUSER, "-d", "postgres"], env=env)
            if ready.returncode == 0:
                return self
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out = (self.tmp / "postgres.log").read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"PostgreSQL did not start:\n{out}")
            time.sleep(0.1)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """One statement outside a transaction (CREATE/DROP DATABASE), as the superuser."""
        import psycopg
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, name: str | None = None) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = name or f"hecha_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)   # fast shutdown: disconnect clients, stop
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "PgCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------- pytest fixtures (tests/conftest.py)

import pytest  # noqa: E402  (the class above is also used by benchmarks, without pytest)


@pytest.fixture(scope="session")
def pg_cluster():
    """One throw-away cluster for the whole run, started on first use."""
    with PgCluster() as pg:
        yield pg


@pytest.fixture
def db_backend() -> str:
    """The server database of live_server_factory: SQLite; tests/server and tests/conformance override
    this fixture with params=["sqlite", "postgresql"], so their server tests run on both."""
    return "sqlite"


@pytest.fixture
def new_server_db(request, db_backend, tmp_path):
    """new_server_db(name) -> the URL of a new, empty server database on `db_backend`."""
    if db_backend == "postgresql":
        pg = request.getfixturevalue("pg_cluster")
        # The token-signing key is never in the database: next to a SQLite file it is made as
        # <db>.key; a PostgreSQL server takes it from the environment (or --secret-file).
        request.getfixturevalue("monkeypatch").setenv("HECHA_SERVER_SECRET", f"test-key-{id(request)}")
        return lambda name="server": pg.new_database()
    return lambda name="server": f"sqlite:///{tmp_path / name}.db"
