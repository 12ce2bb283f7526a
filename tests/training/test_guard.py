"""The training guard against real servers: a store marked by its first server refuses the other kind."""

from __future__ import annotations

import pytest

from client import training
from client.store import new_key, open_store
from sync.client.transport import Transport


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store.db", new_key())
    yield s
    s.close()


def test_health_says_whether_the_server_is_a_training_server(live_server_factory, tmp_path):
    real = live_server_factory()
    school = live_server_factory(training=True)
    t1, t2 = Transport(real.url, device_id="d1"), Transport(school.url, device_id="d2")
    try:
        assert training.server_is_training(t1) is False
        assert training.server_is_training(t2) is True
    finally:
        t1.close()
        t2.close()


def test_training_store_refuses_a_real_server_with_a_chinese_reason(live_server_factory, store):
    school = live_server_factory(training=True)
    real = live_server_factory()
    assert training.store_mark(store) is None
    assert training.check_server(store, Transport(school.url, device_id="d")) is True
    assert training.store_mark(store) is True
    # again against the same kind: fine, and the mark stays
    assert training.check_server(store, Transport(school.url, device_id="d")) is True
    with pytest.raises(training.TrainingStoreRefused) as err:
        training.check_server(store, Transport(real.url, device_id="d"))
    msg = err.value.message
    assert "培训" in msg and "不能同步到正式服务器" in msg and real.url in msg
    assert err.value.code == "training_store_refused" and not err.value.retryable
    assert training.store_mark(store) is True  # a refused check never flips the mark


def test_real_store_refuses_a_training_server(live_server_factory, store):
    real = live_server_factory()
    school = live_server_factory(training=True)
    assert training.check_server(store, Transport(real.url, device_id="d")) is False
    with pytest.raises(training.RealStoreRefused) as err:
        training.check_server(store, Transport(school.url, device_id="d"))
    assert "不能同步到培训服务器" in err.value.message
    assert training.store_mark(store) is False


def test_the_mark_survives_reopening_the_store(live_server_factory, tmp_path):
    key = new_key()
    school = live_server_factory(training=True)
    s = open_store(tmp_path / "s.db", key)
    training.check_server(s, Transport(school.url, device_id="d"))
    s.close()
    s = open_store(tmp_path / "s.db", key)
    try:
        assert training.store_mark(s) is True
        with pytest.raises(training.TrainingStoreRefused):
            training.bind_store(s, False, "https://real.example")
    finally:
        s.close()


def test_a_server_that_cannot_be_reached_raises_the_network_error(store):
    from sync.client import errors as E
    from sync.client.transport import RetryPolicy
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    t = Transport(f"http://127.0.0.1:{port}", device_id="d", retry=RetryPolicy(max_attempts=1))
    with pytest.raises(E.SyncError):
        training.check_server(store, t)
    assert training.store_mark(store) is None  # unknown server: the store stays unmarked


# -- through the workspace: the hook in Workspace.login and before the first sync ------------


def test_workspace_with_training_ops_refuses_a_real_server(live_server_factory, tmp_path):
    from client.workspace import Workspace

    school = live_server_factory(training=True)
    real = live_server_factory()  # same accounts and cases (small_dataset), not a training server
    data = tmp_path / "data"
    ws = Workspace.login(data, school.url, "alice", "alice-pw")
    ws.sync()
    ws.cannot_verify("E-1", "unverifiable", note="培训练习")
    assert ws.pending_count() == 1
    ws.close()

    with pytest.raises(training.TrainingStoreRefused) as err:
        Workspace.login(data, real.url, "alice", "alice-pw")
    assert "不能同步到正式服务器" in err.value.message
    # nothing of the practice reached the real server
    with real.store.read() as conn:
        assert real.store.get_case(conn, "E-1")["status"] == "open"
    # the training store still holds the practice op and still syncs with its training server
    ws = Workspace.login(data, school.url, "alice", "alice-pw")
    try:
        assert ws.pending_count() == 1
        report = ws.sync()
        assert report.pushed == 1 and ws.pending_count() == 0
    finally:
        ws.close()


def test_workspace_refuses_at_sync_when_the_server_changed_kind(live_server_factory, tmp_path):
    """A store unlocked offline syncs to the server of its last login: if that address now answers
    as a real server, the sync is refused before the outbox is sent."""
    from client.workspace import Workspace

    school = live_server_factory(training=True)
    data = tmp_path / "data"
    ws = Workspace.login(data, school.url, "alice", "alice-pw")
    ws.sync()
    ws.cannot_verify("E-2", "not_local")
    ws.close()
    school.store.training = False  # same address, now a real server
    ws = Workspace.unlock(data, "alice", "alice-pw")
    try:
        with pytest.raises(training.TrainingStoreRefused):
            ws.sync()
        assert ws.pending_count() == 1
    finally:
        ws.close()
    with school.store.read() as conn:
        assert school.store.get_case(conn, "E-2")["status"] == "open"
