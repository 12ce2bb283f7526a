"""Actions on suspected duplicates: merge the group into one record, or mark it not the same."""

from __future__ import annotations

from client.domain import messages
from client.domain.merge import merge_blockers
from client.domain.models import PERSON_FIELDS, Finding, Person
from client.domain.rules import RuleContext, validate_person
from client.workspace.base import WorkspaceBase
from client.workspace.error_actions import required_text
from client.workspace.errors import ActionNotAllowed, ValidationRefused
from client.workspace.views import Changes
from sync.protocol.actions import NON_BLOCKING, READ_ONLY_FIELDS, MergePayload, NotDuplicatePayload


class DuplicateActions(WorkspaceBase):
    def merge_duplicates(self, task_id: str, survivor_id: str,
                         field_choices: dict[str, str] | None = None,
                         overrides: dict[str, str] | None = None) -> Changes:
        """Merge the group into survivor_id, taking each field from the chosen member.
        `overrides` gives the worker's reasons for warnings of the merged record."""
        field_choices = dict(field_choices or {})
        with self.store.write() as s:
            case = self._editable(s, task_id, "duplicates")
            members = (case.shadow_data or {}).get("members") or []
            ids = [m.get("person_id") for m in members]
            if survivor_id not in ids:
                raise ActionNotAllowed("survivor_not_member")
            bad = [f for f, pid in field_choices.items()
                   if pid not in ids or f not in PERSON_FIELDS or f in READ_ONLY_FIELDS]
            if bad:
                raise ActionNotAllowed("bad_field_choices", fields="、".join(bad))
            blockers = merge_blockers([Person.from_dict(m) for m in members])
            if blockers:
                raise ValidationRefused(errors=[Finding(code=c, severity="E", fields=(),
                                                        message=messages.render(c), params={})
                                                for c in blockers])
            payload = self._payload(MergePayload, survivor_id=survivor_id,
                                    field_choices=field_choices, member_ids=ids,
                                    overrides=dict(overrides or {}))
            self._simple_action(s, case, "merge_duplicates", payload, None)
        return Changes(frozenset({task_id}), outbox=True)

    def mark_not_duplicate(self, task_id: str, reason: str,
                           id_corrections: dict[str, str] | None = None,
                           overrides: dict[str, str] | None = None) -> Changes:
        """Not the same person; corrected ID numbers must have no errors, and the reason also
        explains their warnings (the server refuses a warning without one)."""
        reason = required_text(reason, "separate_reason_required")
        id_corrections = dict(id_corrections or {})
        with self.store.write() as s:
            case = self._editable(s, task_id, "duplicates")
            members = {m.get("person_id"): m for m in (case.shadow_data or {}).get("members") or []}
            errors: list[Finding] = []
            ov: dict[str, str] = {}
            for pid, number in id_corrections.items():
                if pid not in members:
                    raise ActionNotAllowed("person_not_member", person_id=pid)
                fixed = {**members[pid], "id_number": number}
                found = [f for f in validate_person(Person.from_dict(fixed),
                                                    RuleContext(today=self.today))
                         if "id_number" in f.fields and f.code not in NON_BLOCKING]
                errors += [f for f in found if f.severity == "E"]
                ov.update({f.code: reason for f in found if f.severity == "W"})
            if errors:
                raise ValidationRefused(errors=errors)
            ov.update(overrides or {})
            payload = self._payload(NotDuplicatePayload, reason=reason,
                                    id_corrections=id_corrections, overrides=ov)
            self._simple_action(s, case, "mark_not_duplicate", payload, reason)
        return Changes(frozenset({task_id}), outbox=True)
