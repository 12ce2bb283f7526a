"""Previous / next for a case opened outside the list on screen (from the outbox, the history, a
search, a conflict or the supervision drill-down): they move within the list the case belongs
to (its kind's list while it is open, else the state list holding it), loaded in the background."""

from __future__ import annotations

from collections.abc import Callable

from client.worklist import task_ids
from ui.navigation import ENTRIES, NavEntry


def home_entry(kind: str, status: str) -> NavEntry | None:
    """The list a case of this kind and state belongs to (the kind's own list first)."""
    return next((e for e in ENTRIES if e.kind in (None, kind) and e.states
                 and status in e.states), None)


class HomeList:
    """The ids of the list a case opened from elsewhere belongs to, for `neighbour`."""

    def __init__(self, bg, workspace, worklist) -> None:
        self.bg, self.ws, self.worklist = bg, workspace, worklist
        self.key = ""
        self.ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._generation = 0

    def follow(self, task, on_loaded: Callable[[], None]) -> None:
        """The case on screen is task: when the list on screen does not hold it, load the list
        it belongs to (then call on_loaded); when it does, that list is used."""
        self._generation += 1
        if self.worklist.model.row_of(task.id) >= 0:
            return
        entry = home_entry(task.kind, task.status)
        if entry is None or (entry.key == self.key and task.id in self._row_of):
            return
        gen = self._generation
        self.bg.read(task_ids, self.ws, entry.query(), name="home list ids",
                     on_result=lambda ids: self._loaded(gen, entry.key, ids, on_loaded))

    def _loaded(self, gen: int, key: str, ids: list[str], on_loaded: Callable[[], None]) -> None:
        if gen != self._generation:
            return  # another case was opened meanwhile
        self.key, self.ids = key, ids
        self._row_of = {cid: i for i, cid in enumerate(ids)}
        on_loaded()

    def neighbour(self, case_id: str, step: int) -> str | None:
        """The case before/after case_id in the list on screen, else in the case's own list."""
        found = self.worklist.neighbour(case_id, step)
        if found or self.worklist.model.row_of(case_id) >= 0:
            return found
        row = self._row_of.get(case_id, -1)
        if row < 0 or not 0 <= row + step < len(self.ids):
            return None
        return self.ids[row + step]
