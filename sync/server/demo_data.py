"""Seeding a training server: the demo county (optionally with classroom copies) loaded once into
an empty store, and the demo accounts read back. Shared by `hecha server --seed demo` and `hecha demo`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import func, select

from sync.server import schema as t
from sync.server.store import Store


@dataclass
class SeedResult:
    loaded: bool          # False: the store already had data and was kept as it is
    persons: int = 0
    households: int = 0
    cases: int = 0


def store_is_empty(store: Store) -> bool:
    with store.read() as conn:
        return not conn.execute(select(func.count()).select_from(t.cases)).scalar()


def seed_demo(store: Store, *, seed_value: str = "hecha", people: int = 30000, classroom: int = 0,
              classroom_template: str | None = None,
              say: Callable[[str], None] = lambda _m: None) -> SeedResult:
    """Load the demo county (plus `classroom` trainee copies) into an empty store; a store that
    already holds cases is left alone (a reset restores its own starting state)."""
    if not store_is_empty(store):
        return SeedResult(loaded=False)
    from sync.server.dataset import load_dataset
    from sync.server.seed import generate_demo

    say(f"正在生成演示数据（{people} 人，种子 {seed_value!r}）…")
    ds = generate_demo(seed_value=seed_value, people=people)
    if classroom:
        from sync.server.seed.classroom import make_classroom
        ds = make_classroom(ds, trainees=classroom, template_user=classroom_template)
        say(f"已为 {classroom} 名学员各复制一份教学任务")
    report = load_dataset(store, ds)
    say(f"已载入：{report.persons} 人，{report.households} 户，{report.cases} 个任务")
    return SeedResult(True, report.persons, report.households, report.cases)


def demo_accounts(store: Store) -> list[dict[str, Any]]:
    """Accounts that carry a demo password (seeded ones), trainer first."""
    with store.read() as conn:
        rows = conn.execute(select(t.users).where(t.users.c.demo_password.is_not(None))
                            .order_by(t.users.c.role, t.users.c.username)).all()
    return [{"username": r.username, "password": r.demo_password, "role": r.role,
             "jurisdiction": r.jurisdiction, "display_name": r.display_name} for r in rows]


def is_trainee(account: dict[str, Any]) -> bool:
    """Classroom accounts (make_classroom): t01, t02, … township workers."""
    name = account.get("username", "")
    return account.get("role") == "township" and name[:1] == "t" and name[1:].isdigit()
