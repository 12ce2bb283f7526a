"""Trainer/test hook: make the next N requests to a path prefix answer 429/503 with Retry-After.

The rules live in the database (table `faults`), so with `hecha server --workers N` a rule set through
one worker is honoured, and counted down exactly, by all of them. Checking costs one small read per
request; a process that has seen no rule for a while still reads, because another worker may add one.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from sync.server import schema as t
from sync.server.store import Store

_F = t.faults.c


class Faults:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, prefix: str, status: int, count: int, retry_after: int) -> None:
        with self.store.write() as conn:
            conn.execute(insert(t.faults).values(prefix=prefix, status=status, retry_after=retry_after,
                                                 remaining=count))

    def clear(self) -> None:
        with self.store.write() as conn:
            conn.execute(delete(t.faults))

    def take(self, path: str) -> tuple[int, int] | None:
        """(status, retry_after) of the first rule matching `path`, counted down; None if no rule applies."""
        with self.store.read() as conn:
            rules = conn.execute(select(_F.id, _F.prefix).where(_F.remaining > 0).order_by(_F.id)).all()
        hits = [r.id for r in rules if path.startswith(r.prefix)]
        if not hits:
            return None
        with self.store.write() as conn:
            for rule_id in hits:   # another worker may have used the rule up meanwhile
                row = conn.execute(select(_F.status, _F.retry_after, _F.remaining).where(
                    _F.id == rule_id, _F.remaining > 0)).first()
                if row is None:
                    continue
                if row.remaining <= 1:
                    conn.execute(delete(t.faults).where(_F.id == rule_id))
                else:
                    conn.execute(update(t.faults).where(_F.id == rule_id).values(remaining=row.remaining - 1))
                return row.status, row.retry_after
        return None
