"""Training mode without Qt: the reference server with the demo county in this process (loopback,
free port), a demo township worker's workspace on it, and the reset. The GUI (ui/demo.py) and the
headless self-check (`hecha demo --check`) both drive a DemoSession."""

from __future__ import annotations

import shutil
import time
from datetime import date, timedelta
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from client.paths import AppPaths, app_paths

from client.training.server import DEFAULT_PEOPLE, DEFAULT_SEED, DemoServer

if TYPE_CHECKING:
    from client.workspace import SyncReport, Workspace

__all__ = ["DEFAULT_PEOPLE", "DEFAULT_SEED", "DemoActionRefused", "DemoSession", "DemoSummary",
           "demo_root", "office_values"]


def demo_root(paths: AppPaths | None = None) -> Path:
    """Training data lives apart from real users' data: its own tree beside them."""
    return (paths or app_paths()).data_dir / "training"


@dataclass
class DemoSummary:
    url: str
    username: str
    display_name: str
    tasks: int
    by_kind: dict[str, int]
    pulled: int
    pushed: int
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        kinds = {"error": "异常数据", "birth": "出生反推", "duplicates": "疑似重复"}
        per = "，".join(f"{kinds.get(k, k)} {n}" for k, n in sorted(self.by_kind.items()))
        return [f"培训服务器：{self.url}",
                f"培训模式 · 账号 {self.username}（{self.display_name}）",
                f"同步完成：下载 {self.pulled} 条，上传 {self.pushed} 条；待办任务 {self.tasks} 个（{per}）"]


class DemoActionRefused(Exception):
    """A solo-demo trainer action that does not apply to this case (Chinese `message`)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def office_values(base: dict[str, Any], mine: dict[str, str | None]) -> dict[str, str]:
    """What "the county office" writes so that the worker's unsent change of the same fields
    conflicts: a value different from both the worker's and the original (dates move by days)."""
    out = {}
    for f, value in mine.items():
        text = value or ""
        try:
            day = date.fromisoformat(text)
        except ValueError:
            candidate = f"{text}（县办）" if text else "县办填写"
        else:
            candidate = (day + timedelta(days=1)).isoformat()
            if candidate == base.get(f):
                candidate = (day + timedelta(days=2)).isoformat()
        out[f] = candidate
    return out


class DemoSession:
    """Server + the demo worker's workspace. open() logs in, reset() restores the starting state
    on the server and starts the worker's local training store over."""

    def __init__(self, root: Path, *, username: str | None = None, people: int = DEFAULT_PEOPLE,
                 seed_value: str = DEFAULT_SEED, say: Callable[[str], None] = lambda _m: None):
        self.root = Path(root)
        self.server = DemoServer(self.root, people=people, seed_value=seed_value, say=say)
        self.username = username
        self.workspace: Workspace | None = None
        self.seconds: dict[str, float] = {}

    @property
    def client_dir(self) -> Path:
        return self.root / "client"

    @property
    def account(self) -> dict[str, Any]:
        return self.server.account(self.username)

    def start(self) -> "DemoSession":
        t0 = time.perf_counter()
        self.server.start()
        self.seconds["server"] = round(time.perf_counter() - t0, 3)
        return self

    def open(self) -> Workspace:
        """Log the demo worker in (creates or unlocks the local training store)."""
        from client.workspace import Workspace

        t0 = time.perf_counter()
        a = self.account
        ws = self.workspace = Workspace.login(self.client_dir, self.server.url, a["username"],
                                              a["password"])
        self.seconds["login"] = round(time.perf_counter() - t0, 3)
        return ws

    def logged_in(self) -> Workspace:
        """The demo worker's workspace (open() first)."""
        if self.workspace is None:
            raise RuntimeError("the demo worker is not logged in: open() first")
        return self.workspace

    def sync(self) -> SyncReport:
        t0 = time.perf_counter()
        report = self.logged_in().sync()
        self.seconds["sync"] = round(time.perf_counter() - t0, 3)
        return report

    def summary(self, report: SyncReport) -> DemoSummary:
        ws = self.logged_in()
        by_kind = {k: ws.count(kind=k) for k in ("error", "birth", "duplicates")}
        a = self.account
        return DemoSummary(url=self.server.url, username=a["username"], display_name=a["display_name"],
                           tasks=sum(by_kind.values()), by_kind={k: n for k, n in by_kind.items() if n},
                           pulled=report.pulled, pushed=report.pushed, seconds=dict(self.seconds))

    def close_workspace(self) -> None:
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
            # The refresh token went to the OS keyring under this run's address (a new port every
            # run): remove it, or every demo would leave an entry behind in the worker's keyring.
            from client import keys
            from sync.client.auth import refresh_secret_name
            keys.delete_secret(refresh_secret_name(self.account["username"], self.server.url))

    def reset(self) -> dict[str, Any]:
        """The server's starting state back (admin reset), and a fresh local store for the worker:
        the trainee's unsent practice edits go too, which is the point of a reset."""
        self.close_workspace()
        with self.server.trainer() as trainer:
            result = trainer.reset()
        shutil.rmtree(self.client_dir, ignore_errors=True)
        return result

    def simulate_office_edit(self, task_id: str) -> dict[str, str]:
        """Solo demo of a conflict: the office edits, on the server, the fields the worker changed
        locally and has not sent; the next sync shows the conflict. Returns the server's values."""
        task = self.logged_in().task(task_id)
        mine = (task.overlay or {}).get("changes") if (task.overlay or {}).get("action") == "fix_error" else None
        if task.kind != "error" or not mine or task.pending_ops == 0:
            raise DemoActionRefused("请先在一条异常数据上修改字段并保存（先不要同步），再模拟县办修改同一条记录。")
        base = task.shadow.get("person") or {}
        changes = office_values(base, mine)
        with self.server.trainer() as trainer:
            trainer.edit_person(base["person_id"], changes, "培训演示：县办在您离线时修改了这条记录",
                                plant_errors=True)
        return changes

    def simulate_withdraw(self, task_id: str) -> None:
        """Solo demo: the provincial platform takes the case back; the next sync shows it withdrawn."""
        with self.server.trainer() as trainer:
            trainer.withdraw(task_id, "培训演示：省平台收回了这条任务")

    def close(self) -> None:
        self.close_workspace()
        self.server.stop()
