"""Actions on newborn records: register the newborn into a household, or send it back."""

from __future__ import annotations

from typing import Any

from client.domain import newborn
from client.domain.models import Person
from client.domain.rules import birth_context, validate_birth
from client.workspace.base import WorkspaceBase
from client.workspace.error_actions import clean_changes
from client.workspace.errors import ActionNotAllowed
from client.workspace.views import Changes
from sync.protocol.actions import BIRTH_REJECT_REASONS, ConfirmBirthPayload, RejectBirthPayload


class BirthActions(WorkspaceBase):
    def confirm_birth(self, task_id: str, changes: dict[str, Any] | None = None,
                      household_id: str | None = None, relation: str | None = None, *,
                      new_household: dict[str, Any] | None = None, twins_confirmed: bool = False,
                      overrides: dict[str, str] | None = None) -> Changes:
        """Confirm (and complete) the newborn and register it into a household."""
        cleaned = clean_changes(changes or {})
        with self.store.write() as s:
            case = self._editable(s, task_id, "birth")
            data = case.shadow_data or {}
            proposed = {k: v for k, v in (data.get("proposed") or {}).items()
                        if k not in ("person_id", "household_id")}
            person = {k: v for k, v in {**proposed, **cleaned}.items()
                      if v is not None and k not in ("person_id", "household_id")}
            relation = relation or cleaned.get("relation") or proposed.get("relation")
            if (household_id is None) == (new_household is None):
                raise ActionNotAllowed("household_choice")
            if not relation:
                raise ActionNotAllowed("relation_missing")
            person["relation"] = relation
            household = newborn.household_of(data, household_id)
            if household_id is not None and household is None:
                raise ActionNotAllowed("household_not_offered", household_id=household_id)
            # Registering into a household (入户) gives the newborn its place; the hukou type
            # follows the mother's unless the worker chose one.
            for field, value in newborn.newborn_defaults(
                    data, household, (new_household or {}).get("place")).items():
                person.setdefault(field, value)
            ctx = birth_context(data, household, self.today, twins_confirmed=twins_confirmed)
            findings = validate_birth(data.get("certificate") or {}, Person.from_dict(person), ctx)
            self._check(findings, overrides)
            payload = self._payload(ConfirmBirthPayload, person=person,
                                    household_id=household_id, new_household=new_household,
                                    relation=relation, twins_confirmed=bool(twins_confirmed),
                                    overrides=dict(overrides or {}))
            self._simple_action(s, case, "confirm_birth", payload, None,
                                overlay_changes={k: v for k, v in person.items()
                                                 if proposed.get(k) != v})
        return Changes(frozenset({task_id}), outbox=True)

    def reject_birth(self, task_id: str, reason: str, note: str = "",
                     existing_person_id: str | None = None) -> Changes:
        if reason not in BIRTH_REJECT_REASONS:
            raise ActionNotAllowed("reject_reason")
        if reason == "already_registered" and not existing_person_id:
            raise ActionNotAllowed("existing_person_missing")
        payload = self._payload(RejectBirthPayload, reason=reason, note=note or "",
                                existing_person_id=existing_person_id or None)
        with self.store.write() as s:
            case = self._editable(s, task_id, "birth")
            self._simple_action(s, case, "reject_birth", payload, note or reason)
        return Changes(frozenset({task_id}), outbox=True)
