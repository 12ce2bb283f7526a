"""Child process of the kill -9 tests: logs in, works, and stops at a named point printing a
marker, so the parent can kill it exactly there. Usage: crash_child DATA_DIR URL MODE."""

from __future__ import annotations

import sys
import time

from client.workspace import Workspace
from sync.client.engine import SyncEngine
from sync.client.transport import RetryPolicy
from tests.support.sync_env import corrected_id


def say(marker: str) -> None:
    print(marker, flush=True)


def main() -> None:
    data_dir, url, mode = sys.argv[1:4]
    ws = Workspace.login(data_dir, url, "alice", "alice-pw", key_cost={"n": 2 ** 10},
                         retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=3),
                         timeout=(2.0, 60.0), deadline=120.0, page_limit=1)
    if mode.startswith("midpage"):
        stop_at = int(mode.split(":")[1])
        original = SyncEngine._apply_changes
        seen = [0]

        def apply_then_stop(self, s, changes, result):
            original(self, s, changes, result)
            seen[0] += 1
            if seen[0] == stop_at:
                s.flush()  # the page is written inside the open transaction, cursor not yet
                say("MIDPAGE")
                time.sleep(120)

        SyncEngine._apply_changes = apply_then_stop
        ws.sync()
    elif mode == "commit":
        ws.sync()
        number = ws.task("E-1").data["person"]["id_number"]
        ws.fix_error("E-1", {"id_number": corrected_id(number)})
        say("COMMITTED")
        time.sleep(120)
    elif mode == "send":
        ws.sync()
        number = ws.task("E-1").data["person"]["id_number"]
        ws.fix_error("E-1", {"id_number": corrected_id(number)})
        say("EDITED")
        ws.sync()  # the proxy keeps the response: the parent kills us while we wait
    say("DONE")


if __name__ == "__main__":
    main()
