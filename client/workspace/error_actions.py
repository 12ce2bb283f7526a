"""Actions on error records: correct fields, confirm the record as it is, or cannot verify."""

from __future__ import annotations

from typing import Any

from client.domain.models import PERSON_FIELDS
from client.domain.rules import error_findings
from client.domain.values import ValueRefused, normalize_value
from client.store import utc_now
from client.workspace import outbox
from client.workspace.base import WorkspaceBase
from client.workspace.errors import ActionNotAllowed
from client.workspace.views import Changes
from sync.protocol.actions import (
    CANNOT_VERIFY_REASONS,
    READ_ONLY_FIELDS,
    CannotVerifyPayload,
    ConfirmErrorPayload,
    FixErrorPayload,
)


def clean_changes(changes: dict[str, Any]) -> dict[str, str | None]:
    if not isinstance(changes, dict):
        raise ActionNotAllowed("bad_changes")
    bad = [f for f in changes if f not in PERSON_FIELDS or f in READ_ONLY_FIELDS]
    if bad:
        raise ActionNotAllowed("read_only_fields", fields="、".join(map(str, bad)))
    out: dict[str, str | None] = {}
    for f, v in changes.items():
        try:   # ID numbers normalized (full-width, x, spaces); lengths and hidden characters refused
            out[f] = normalize_value(f, None if v is None else str(v))
        except ValueRefused as exc:
            raise ActionNotAllowed("value_" + exc.kind, fields=exc.field) from None
    return out


def required_text(text: str | None, refusal: str) -> str:
    if text is None or not str(text).strip():
        raise ActionNotAllowed(refusal)
    return str(text).strip()


class ErrorActions(WorkspaceBase):
    def fix_error(self, task_id: str, changes: dict[str, Any], note: str = "",
                  overrides: dict[str, str] | None = None) -> Changes:
        """Correct fields of an error record; `changes` maps field -> new value."""
        cleaned = clean_changes(changes)
        with self.store.write() as s:
            case = self._editable(s, task_id, "error")
            view = outbox.apply_overlay(case.kind, case.shadow_data, case.overlay)
            person = dict(view.get("person") or {})
            delta = {f: v for f, v in cleaned.items() if person.get(f) != v}
            if not delta:
                raise ActionNotAllowed("no_changes")
            new_person = {k: v for k, v in {**person, **delta}.items() if v is not None}
            self._check(error_findings(case.shadow_data or {}, new_person, self.today), overrides)
            wanted = dict((case.overlay or {}).get("changes") or {}) \
                if (case.overlay or {}).get("action") == "fix_error" else {}
            wanted.update(delta)
            shadow_person = (case.shadow_data or {}).get("person") or {}
            wanted = {f: v for f, v in wanted.items() if shadow_person.get(f) != v}
            payload = self._payload(FixErrorPayload, note=note or "",
                                    overrides=dict(overrides or {}))
            op = self._write_op(
                s, case, "fix_error", payload=payload,
                field_delta={f: {"from": person.get(f), "to": v} for f, v in delta.items()},
                full_changes={f: {"from": shadow_person.get(f), "to": v}
                              for f, v in wanted.items()})
            case.overlay = {"action": "fix_error", "changes": wanted, "payload": payload,
                            "edited_at": utc_now()} if wanted else None
            for f, v in delta.items():
                self._audit(s, case.id, op, field=f, old=person.get(f), new=v, reason=note)
            outbox.reindex(s, case)
        return Changes(frozenset({task_id}), outbox=True)

    def confirm_error(self, task_id: str, reason: str,
                      overrides: dict[str, str] | None = None) -> Changes:
        """The record is right as it is; the reason also explains every warning it has."""
        reason = required_text(reason, "confirm_reason_required")
        with self.store.write() as s:
            case = self._editable(s, task_id, "error")
            view = case.shadow_data or {}
            findings = error_findings(view, view.get("person") or {}, self.today)
            ov = {f.code: reason for f in findings if f.severity == "W"}
            ov.update(overrides or {})
            self._check(findings, ov)
            payload = self._payload(ConfirmErrorPayload, reason=reason, overrides=ov)
            self._simple_action(s, case, "confirm_error", payload, reason)
        return Changes(frozenset({task_id}), outbox=True)

    def cannot_verify(self, task_id: str, reason_code: str, note: str = "") -> Changes:
        """无法核实 / 非本辖区: reason_code "unverifiable" or "not_local"."""
        if reason_code not in CANNOT_VERIFY_REASONS:
            raise ActionNotAllowed("cannot_verify_reason")
        with self.store.write() as s:
            case = self._editable(s, task_id, "error")
            payload = self._payload(CannotVerifyPayload, reason_code=reason_code,
                                    note=note or "")
            self._simple_action(s, case, "cannot_verify", payload, note)
        return Changes(frozenset({task_id}), outbox=True)
