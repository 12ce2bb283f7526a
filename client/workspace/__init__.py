"""The services API (DESIGN.md "public scripting API"): what a worker does, each action validated
by the rule engine and written as overlay + outbox op + audit rows in one store transaction.
The UI, the headless CLI and scripts use only this package.

session.py opens the store and runs sync, queries.py reads, one module per case kind holds its
actions (error_actions, birth_actions, duplicate_actions), conflicts.py settles stuck cases,
outbox.py folds and chains ops, views.py and errors.py are what callers get back (errors.py also
names the sync errors; SyncState, RetryPolicy and the .p12 loader are exported here, so that ui/
never imports sync.client)."""

from __future__ import annotations

import logging
from dataclasses import replace

from client.workspace.birth_actions import BirthActions
from client.workspace.conflicts import ConflictActions
from client.workspace.duplicate_actions import DuplicateActions
from client.workspace.error_actions import ErrorActions
from client.workspace.errors import ActionNotAllowed, TaskNotFound, TaskReadOnly, ValidationRefused
from client.workspace.queries import Queries
from client.workspace.session import SessionMixin, user_dir
from client.workspace.supervision import Progress, SupervisionMixin
from client.workspace.trace import TraceMixin
from client.workspace.views import Changes, OutboxItem, SyncReport, TaskView
from sync.client.certs import ClientIdentity, load_identity
from sync.client.engine import SyncState
from sync.client.errors import SyncError
from sync.client.transport import RetryPolicy

log = logging.getLogger(__name__)


class Workspace(SupervisionMixin, SessionMixin, Queries, ErrorActions, BirthActions, DuplicateActions,
                ConflictActions, TraceMixin):
    """One worker's local store plus (when online) the sync engine. Use login() or unlock()."""

    def sync(self, state: SyncState | None = None) -> SyncReport:
        """Push the outbox, then pull until caught up; then tell the server what this PC still
        holds. Blocking. The jurisdiction's progress figures are not fetched here (each costs the
        server a count over the jurisdiction's cases): the 辖区进度 page and the progress report
        fetch them when they are opened (refresh_own_progress, fetch_progress)."""
        report = super().sync(state)
        try:
            self.report_sync_status()
        except SyncError as exc:
            # The worker's work is up and down already: a failed status report (an older server,
            # a busy one, the link dropping now) must not turn this sync into a failure; the
            # supervisor's "waiting" figure stays as of the previous sync, the report says why.
            log.warning("sync status report failed: %s", exc.code)
            report = replace(report, followup_error=exc.code)
        return report


__all__ = ["ActionNotAllowed", "Changes", "ClientIdentity", "load_identity", "OutboxItem", "Progress", "RetryPolicy", "SyncReport", "SyncState",
           "TaskNotFound", "TaskReadOnly", "TaskView", "ValidationRefused", "Workspace", "user_dir"]
