"""The actions of the sync protocol (SYNC_PROTOCOL.md "actions"): which case kind each applies
to, the payload each carries, and the fields and findings both sides treat alike. The client
builds its payloads with these models; the server validates pushed payloads with them."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

# A rule that crashed (client.domain.rules.RULE_FAILED) says nothing about the record: neither
# side lets it block an action.
NON_BLOCKING = frozenset({"RULE_FAILED"})

# Fields a worker may not change (identity and bookkeeping are the province's).
READ_ONLY_FIELDS = frozenset({"person_id", "household_id", "registered_at", "updated_at"})

CannotVerifyReason = Literal["unverifiable", "not_local"]
BirthRejectReason = Literal["not_local", "already_registered", "wrong_data"]
CANNOT_VERIFY_REASONS: tuple[str, ...] = get_args(CannotVerifyReason)
BIRTH_REJECT_REASONS: tuple[str, ...] = get_args(BirthRejectReason)


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def wire(self) -> dict[str, Any]:
        """The JSON form sent in an op (absent optional values left out)."""
        return self.model_dump(mode="json", exclude_none=True)


Reason = Field(min_length=1, max_length=500)


class FixErrorPayload(Payload):
    note: str = Field(default="", max_length=2000)
    overrides: dict[str, str] = {}


class ConfirmErrorPayload(Payload):
    reason: str = Reason
    overrides: dict[str, str] = {}


class CannotVerifyPayload(Payload):
    reason_code: CannotVerifyReason
    note: str = Field(default="", max_length=2000)


class NewHousehold(Payload):
    place: str = Field(pattern=r"^\d{12}$")
    address: str = Field(default="", max_length=500)


class ConfirmBirthPayload(Payload):
    person: dict[str, str | None]
    household_id: str | None = None
    new_household: NewHousehold | None = None
    relation: str = Field(pattern=r"^\d{2}$")
    twins_confirmed: bool = False
    overrides: dict[str, str] = {}


class RejectBirthPayload(Payload):
    reason: BirthRejectReason
    existing_person_id: str | None = None
    note: str = Field(default="", max_length=2000)


class MergePayload(Payload):
    survivor_id: str
    field_choices: dict[str, str] = {}
    member_ids: list[str]
    overrides: dict[str, str] = {}     # reasons for the merged record's warnings


class NotDuplicatePayload(Payload):
    reason: str = Reason
    id_corrections: dict[str, str] = {}
    overrides: dict[str, str] = {}


PAYLOADS: dict[str, type[Payload]] = {
    "fix_error": FixErrorPayload, "confirm_error": ConfirmErrorPayload,
    "cannot_verify": CannotVerifyPayload, "confirm_birth": ConfirmBirthPayload,
    "reject_birth": RejectBirthPayload, "merge_duplicates": MergePayload,
    "mark_not_duplicate": NotDuplicatePayload}
KIND_OF: dict[str, str] = {
    "fix_error": "error", "confirm_error": "error", "cannot_verify": "error",
    "confirm_birth": "birth", "reject_birth": "birth", "merge_duplicates": "duplicates",
    "mark_not_duplicate": "duplicates"}
ACTIONS: tuple[str, ...] = tuple(PAYLOADS)
