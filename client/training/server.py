"""The one door from the client's training code to the reference server: the training server
in this process (seeded demo county, uvicorn on loopback), and which accounts are trainees."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from client.training.lock import DirLock
from client.training.trainer_api import TrainerClient
from sync.server.demo_data import is_trainee

if TYPE_CHECKING:  # imported where used: the server only when the demo starts
    from sync.server.runner import ServerThread
    from sync.server.store import Store

DEFAULT_PEOPLE = 30000
DEFAULT_SEED = "hecha"

__all__ = ["DEFAULT_PEOPLE", "DEFAULT_SEED", "DemoServer", "is_trainee"]


class DemoServer:
    """The training server: a seeded SQLite file under `root`, uvicorn on 127.0.0.1 (free port)."""

    def __init__(self, root: Path, *, people: int = DEFAULT_PEOPLE, seed_value: str = DEFAULT_SEED,
                 say: Callable[[str], None] = lambda _m: None):
        self.root = Path(root)
        self.people, self.seed_value, self.say = people, seed_value, say
        self.thread: ServerThread | None = None
        self.store: Store | None = None
        self._lock: DirLock | None = None
        self.accounts: list[dict[str, Any]] = []

    @property
    def db_path(self) -> Path:
        return self.root / "server.db"

    @property
    def url(self) -> str:
        assert self.thread is not None, "server not started"
        return self.thread.url

    def start(self) -> DemoServer:
        from sync.server.app import create_app
        from sync.server.config import ServerConfig
        from sync.server.demo_data import demo_accounts, seed_demo
        from sync.server.runner import ServerThread
        from sync.server.store import Store

        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = DirLock(self.root)
        self._lock.acquire()
        try:
            store = self.store = Store(ServerConfig(db_url=f"sqlite:///{self.db_path}", training=True))
            seed_demo(store, seed_value=self.seed_value, people=self.people, say=self.say)
            self.accounts = demo_accounts(store)
            self.thread = ServerThread(create_app(store)).start()
        except BaseException:
            self.stop()
            raise
        return self

    def account(self, username: str | None = None) -> dict[str, Any]:
        """The named demo account, or the first township worker's."""
        for a in self.accounts:
            if (username and a["username"] == username) or (not username and a["role"] == "township"):
                return a
        raise LookupError(f"演示数据中没有账号 {username or '（乡镇专干）'}")

    def trainer(self) -> TrainerClient:
        a = next(a for a in self.accounts if a["role"] in ("trainer", "admin"))
        return TrainerClient(self.url, a["username"], a["password"])

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.stop()
            self.thread = None
        if self.store is not None:
            self.store.close()
            self.store = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
