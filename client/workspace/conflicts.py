"""Settling a case the server would not apply as sent: resolve a conflict, or discard the
worker's unfinished edits."""

from __future__ import annotations

from typing import Any

from client.domain.rules import error_findings
from client import lifecycle
from client.lifecycle import OpState
from client.store import Case, utc_now
from client.workspace import outbox
from client.workspace.base import WorkspaceBase
from client.workspace.errors import ActionNotAllowed, TaskNotFound
from client.workspace.views import Changes


class ConflictActions(WorkspaceBase):
    def resolve_conflict(self, task_id: str, choices: dict[str, Any]) -> Changes:
        """Resolve the case's conflict. For field edits `choices` maps each conflicting field to
        "mine", "server" or an explicit value; for other actions {"keep": True} sends the same
        decision again on the server's new version and {"keep": False} drops it."""
        with self.store.write() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            ops = outbox.unfinished_ops(s, task_id)
            head = next((o for o in ops if o.state == OpState.CONFLICT), None)
            if head is None:
                raise ActionNotAllowed("no_conflict")
            overlay = case.overlay or {}
            fields = (head.result or {}).get("fields") or {}
            shadow_person = (case.shadow_data or {}).get("person") or {}
            if head.action == "fix_error":
                missing = [f for f in fields if f not in choices]
                if missing:
                    raise ActionNotAllowed("conflict_choices_missing", fields="、".join(missing))
                wanted = dict(overlay.get("changes") or {})
                for f, choice in choices.items():
                    if choice == "server":
                        wanted.pop(f, None)
                    elif choice == "mine":
                        wanted[f] = (fields.get(f) or {}).get("mine", wanted.get(f))
                    else:
                        wanted[f] = choice
                wanted = {f: v for f, v in wanted.items() if shadow_person.get(f) != v}
                outbox.supersede(ops, "resolved")
                if not wanted:
                    lifecycle.reopened(case)
                    self._audit(s, case.id, None, reason="冲突处理:采用服务器的值")
                    return Changes(frozenset({task_id}), outbox=True)
                new_person = {k: v for k, v in {**shadow_person, **wanted}.items() if v is not None}
                payload = dict((head.payload or {}).get("payload") or {})
                self._check(error_findings(case.shadow_data or {}, new_person, self.today),
                            payload.get("overrides"))
                op = self._new_op(s, case, "fix_error", payload=payload,
                                  changes={f: {"from": shadow_person.get(f), "to": v}
                                           for f, v in wanted.items()}, prev=None)
                case.overlay = {"action": "fix_error", "changes": wanted, "payload": payload,
                                "edited_at": utc_now()}
                lifecycle.edited(case, True)
                for f, v in wanted.items():
                    self._audit(s, case.id, op, field=f, old=shadow_person.get(f), new=v,
                                reason="冲突处理")
                outbox.reindex(s, case)
            else:
                keep = choices.get("keep", True)
                outbox.supersede(ops, "resolved")
                if not keep:
                    lifecycle.reopened(case)
                    self._audit(s, case.id, None, reason="冲突处理:放弃本机的处理")
                else:
                    payload = dict((head.payload or {}).get("payload") or {})
                    op = self._new_op(s, case, head.action, payload=payload, changes=None,
                                      prev=None)
                    lifecycle.edited(case, True)
                    self._audit(s, case.id, op, new=payload, reason="冲突处理:在新版本上重新提交")
        return Changes(frozenset({task_id}), outbox=True)

    def discard(self, task_id: str) -> Changes:
        """Drop the worker's unfinished edits of a case (e.g. a withdrawn case). Ops already
        sent whose outcome is unknown cannot be discarded: the next sync settles them."""
        with self.store.write() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            ops = outbox.unfinished_ops(s, task_id)
            in_flight = [o for o in ops if o.state == OpState.SENT]
            if in_flight:
                raise ActionNotAllowed("op_in_flight")
            outbox.supersede(ops, "discarded")
            lifecycle.discarded(case)
            self._audit(s, case.id, None, reason="放弃本机修改")
        return Changes(frozenset({task_id}), outbox=True)
