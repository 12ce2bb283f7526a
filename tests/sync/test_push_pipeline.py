"""Push is pipelined: the next batch is on its way while the server applies the current one."""

from __future__ import annotations

import threading
import time

from client.domain.idnumber import id_check_char
from client.workspace import Workspace
from tests.support.builder import synthetic_dataset
from tests.support.sync_env import CHEAP_KEY, FAST


def test_two_push_batches_are_in_flight_and_every_op_applies_once(live_server_factory, tmp_path, memory_keyring):
    server = live_server_factory(synthetic_dataset(30, users=1))
    push = server.app.state.hecha.push
    apply_batch = push.process
    lock, active, peak, batches = threading.Lock(), [0], [0], []

    def process(user, device_id, ops):     # the real server's push, observed (and made slow)
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            batches.append(len(ops))
        try:
            time.sleep(0.3)
            return apply_batch(user, device_id, ops)
        finally:
            with lock:
                active[0] -= 1

    push.process = process
    ws = Workspace.login(tmp_path / "ws", server.url, "worker0", "bench-pw", key_cost=CHEAP_KEY, retry=FAST)
    try:
        ws.sync()
        ws.engine.push_batch = 10
        for view in ws.tasks(kind="error", status="open", limit=30):
            number = view.data["person"]["id_number"]
            ws.fix_error(view.id, {"id_number": number[:17] + id_check_char(number[:17])})
        report = ws.sync()
        assert report.pushed == 30 and ws.pending_count() == 0, report
        assert batches == [10, 10, 10] and peak[0] == 2
    finally:
        ws.close()
