"""Supervision services: progress of the jurisdiction (cached in the local store, so it opens
offline with its "as of" time), the cases of a place, read-only case history, reassignment and
deadlines (office accounts), and the PC's status report at the end of each sync. Progress is fetched
only when asked for (the page opened or refreshed, the report written, `hecha sync --progress`),
never as part of a sync: each answer costs the server a count over the jurisdiction's cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from client.store import OutboxOp, get_state, set_state
from client.workspace import outbox
from client.workspace.session import SessionMixin
from client.workspace.errors import NoProgressYet
from client.lifecycle import UNFINISHED

LEVELS = ("county", "township", "village")
_DIGITS = {"county": 6, "township": 9, "village": 12}


@dataclass(frozen=True)
class Progress:
    """One answer of GET /v1/progress: rows per place, as the server counted them at `as_of`."""

    level: str
    place: str
    name: str
    as_of: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Progress:
        return cls(level=data["level"], place=data["place"], name=data.get("name") or "",
                   as_of=data["as_of"], rows=list(data["rows"]))

    def to_wire(self) -> dict[str, Any]:
        return {"level": self.level, "place": self.place, "name": self.name, "as_of": self.as_of,
                "rows": self.rows}

    def totals(self) -> dict[str, int]:
        keys = ("open", "done", "waiting", "conflict", "rejected", "withdrawn", "overdue")
        return {k: sum(int(r.get(k) or 0) for r in self.rows) for k in keys}


def _key(level: str, place: str | None) -> str:
    return f"progress:{level}:{place or ''}"


def levels_for(jurisdiction: str) -> tuple[str, str]:
    """(overview level, drill-down level) for an account: city -> counties, county -> townships,
    township -> villages."""
    n = len(jurisdiction)
    if n < 6:
        return "county", "township"
    if n < 9:
        return "township", "village"
    return "village", "village"


class SupervisionMixin(SessionMixin):
    # -- progress --------------------------------------------------------------------------
    def cached_progress(self, level: str = "township", place: str | None = None) -> Progress | None:
        """The last progress fetched for (level, place), offline; None if never fetched here."""
        with self.store.read() as s:
            data = get_state(s, _key(level, place))
        return Progress.from_wire(data) if data else None

    def fetch_progress(self, level: str = "township", place: str | None = None) -> Progress:
        """Online: the server's figures now (jurisdiction-checked there), kept for offline use."""
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        self._ensure_transport()
        assert self.transport is not None
        params = {"level": level, **({"place": place} if place else {})}
        data = self.transport.get("/v1/progress", params=params).data
        with self.store.write() as s:
            set_state(s, _key(level, place), data)
        return Progress.from_wire(data)

    def refresh_own_progress(self) -> list[Progress]:
        """Online: fetches the overview and drill-down of the account's whole jurisdiction and keeps
        them (the progress report is written from these)."""
        jurisdiction = (self.user or {}).get("jurisdiction", "")
        return [self.fetch_progress(level) for level in dict.fromkeys(levels_for(jurisdiction))]

    def report_sync_status(self) -> None:
        """Tells the server which cases this PC still holds unsent operations for (the supervisor's
        "waiting for upload" figure, as of this sync)."""
        with self.store.read() as s:
            pending: dict[str, int] = {}
            for case_id in s.execute(select(OutboxOp.case_id).where(
                    OutboxOp.owner == self.username, OutboxOp.state.in_(UNFINISHED))).scalars():
                pending[case_id] = pending.get(case_id, 0) + 1
        self._ensure_transport()
        assert self.transport is not None
        self.transport.post("/v1/sync/status", {"device_id": self.transport.device_id,
                                                "pending": pending})

    # -- reports (written from the local data, recorded in the work trace) --------------------
    def write_progress_report(self, path: str | Path) -> Path:
        """核查工作进度表 (.xlsx) from the figures kept at the last refresh_own_progress (offline)."""
        from client.reports import write_progress_workbook
        jurisdiction = (self.user or {}).get("jurisdiction", "")
        top, detail = levels_for(jurisdiction)
        overview = self.cached_progress(top)
        if overview is None:
            raise NoProgressYet(username=self.username)
        drill = self.cached_progress(detail) if detail != top else None
        out = write_progress_workbook(path, overview.to_wire(), drill.to_wire() if drill else None)
        self.record_report("progress_report", {"file": out.name, "as_of": overview.as_of})
        return out

    def record_report(self, what: str, details: dict[str, Any], case_ids: list[str] | None = None) -> None:
        """The work trace (local audit) of a report or printed forms: one row, or one per case."""
        with self.store.write() as s:
            for case_id in case_ids or ["*"]:
                outbox.audit(s, self.username, case_id, None, field=what, new=details)

    # -- office actions (county and city accounts) -------------------------------------------
    def place_cases(self, place: str, state: str | None = None) -> list[dict[str, Any]]:
        """Online: the cases of a place in the jurisdiction (summaries, newest first)."""
        self._ensure_transport()
        assert self.transport is not None
        params = {"place": place, **({"state": state} if state else {})}
        cases: list[dict[str, Any]] = self.transport.get("/v1/progress/cases", params=params).data["cases"]
        return cases

    def office_case(self, case_id: str) -> dict[str, Any]:
        """Online, read-only: a case of the jurisdiction with its data, status and history."""
        self._ensure_transport()
        assert self.transport is not None
        case: dict[str, Any] = self.transport.get(f"/v1/admin/cases/{case_id}").data
        return case

    def staff(self) -> list[dict[str, Any]]:
        """Online: the accounts of the jurisdiction with their open and completed counts."""
        self._ensure_transport()
        assert self.transport is not None
        users: list[dict[str, Any]] = self.transport.get("/v1/admin/users").data["users"]
        return users

    def reassign(self, case_id: str, to: str, note: str = "") -> dict[str, Any]:
        """Online: give a case to another worker of the jurisdiction (the server refuses others)."""
        self._ensure_transport()
        assert self.transport is not None
        result: dict[str, Any] = self.transport.post(f"/v1/admin/cases/{case_id}/reassign",
                                                     {"to": to, "note": note}).data
        return result

    def set_deadline(self, case_id: str, deadline: str | None) -> dict[str, Any]:
        """Online: set (YYYY-MM-DD) or clear (None) a case's deadline."""
        self._ensure_transport()
        assert self.transport is not None
        result: dict[str, Any] = self.transport.request(
            "PATCH", f"/v1/admin/cases/{case_id}", json_body={"deadline": deadline}).data
        return result
