"""Transport against a tiny loopback HTTP server through the fault proxy: retries, timeouts,
deadline, gzip, typed errors, Retry-After, cancellation and the single-flight 401 retry."""

from __future__ import annotations

import random
import threading
import time

import pytest

from sync.client import errors as E
from sync.client.transport import RetryPolicy, Transport, load_device_id, parse_retry_after
from tests.support.fault_proxy import FaultProxy
from tests.support.tiny_http import TinyServer

FAST = RetryPolicy(base=0.01, cap=0.05, max_attempts=4)


@pytest.fixture
def server():
    s = TinyServer().start()
    yield s
    s.stop()


@pytest.fixture
def proxy(server):
    p = FaultProxy(server.url, seed=1).start()
    yield p
    p.stop()


def make(proxy, **kw) -> Transport:
    kw.setdefault("retry", FAST)
    kw.setdefault("timeout", (2.0, 2.0))
    kw.setdefault("deadline", 5.0)
    return Transport(proxy.url, device_id="dev-1", rng=random.Random(0), **kw)


def test_small_body_plain_large_body_gzipped(server, proxy):
    t = make(proxy)
    r = t.post("/echo", {"a": 1}, authenticated=False)
    assert r.status == 200 and r.data["echo"] == {"a": 1}
    big = {"items": ["字" * 40 for _ in range(200)]}
    r = t.post("/echo", big, authenticated=False)
    assert r.data["echo"] == big
    assert server.commits[0]["encoding"] is None
    assert server.commits[1]["encoding"] == "gzip"
    assert server.commits[1]["wire"] < 1024 < len(str(big).encode())
    assert server.commits[0]["device"] == "dev-1"
    assert r.request_id and r.server_time == "2026-01-01T00:00:00Z"


def test_dropped_request_is_retried(server, proxy):
    proxy.inject("drop_request", path="/echo")
    t = make(proxy)
    r = t.post("/echo", {"x": 1}, authenticated=False)
    assert r.status == 200
    assert len(server.commits) == 1  # the dropped one never reached the server
    assert t.stats.retries == 1


def test_cut_response_after_commit_is_retried_with_same_body(server, proxy):
    proxy.inject("cut_response", path="/echo")
    t = make(proxy)
    r = t.post("/echo", {"op": "same"}, authenticated=False)
    assert r.status == 200
    # the server committed twice: exactly-once is the server's op_id job, the transport resends
    assert [c["body"] for c in server.commits] == [{"op": "same"}, {"op": "same"}]


def test_truncated_body_is_bad_response_then_retried(server, proxy):
    proxy.inject("truncate", path="/big", fraction=0.5)
    t = make(proxy)
    with pytest.raises(E.BadResponse) as ei:
        t.get("/big?n=500", authenticated=False, retry=False)
    assert ei.value.retryable and "数据不完整" in ei.value.message
    proxy.inject("truncate", path="/big", fraction=0.3)
    r = t.get("/big?n=500", authenticated=False)
    assert len(r.data["items"]) == 500


def test_corrupt_body_is_bad_response(server, proxy):
    proxy.inject("corrupt", path="/big", bytes=50)
    with pytest.raises(E.BadResponse):
        make(proxy).get("/big?n=100", authenticated=False, retry=False)


def test_hang_is_a_timeout(server, proxy):
    proxy.inject("hang", path="/x")
    t = make(proxy, timeout=(1.0, 0.3))
    start = time.monotonic()
    with pytest.raises(E.NetworkTimeout) as ei:
        t.get("/x", authenticated=False, retry=False)
    assert time.monotonic() - start < 3
    assert "超时" in ei.value.message


def test_overall_deadline_bounds_a_slow_trickle(server, proxy):
    # every gap between bytes is short, so only the overall deadline can stop it
    proxy.inject("slow_body", path="/big", rate=2000)
    t = make(proxy, timeout=(1.0, 1.0), deadline=0.5)
    start = time.monotonic()
    with pytest.raises(E.NetworkTimeout):
        t.get("/big?n=400", authenticated=False, retry=False)
    assert time.monotonic() - start < 2.0


def test_offline_is_told_apart(server, proxy):
    proxy.set_offline(True)
    t = make(proxy)
    with pytest.raises(E.OfflineError) as ei:
        t.get("/x", authenticated=False)
    assert "VPN" in ei.value.message and "已保存在本机" in ei.value.message
    assert t.stats.attempts == FAST.max_attempts
    proxy.set_offline(False)
    assert t.get("/x", authenticated=False).status == 200


def test_certificate_problem_is_told_apart(server):
    t = Transport(server.url.replace("http://", "https://"), device_id="d", retry=FAST,
                  timeout=(2, 2))
    with pytest.raises(E.CertificateError) as ei:
        t.get("/x", authenticated=False)
    assert "证书" in ei.value.message
    assert t.stats.attempts == 1  # not retried
    with pytest.raises(ValueError):
        Transport(server.url, device_id="d", ca_bundle=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("status,cls", [
    (410, E.ResyncRequired), (426, E.ClientTooOld), (422, E.IdempotencyKeyReused),
    (403, E.ForbiddenError), (400, E.BadRequest), (500, E.ServerError),
])
def test_problem_json_becomes_typed_error(server, proxy, status, cls):
    with pytest.raises(cls) as ei:
        make(proxy).get(f"/status/{status}", authenticated=False, retry=False)
    assert ei.value.status == status
    assert ei.value.message  # Chinese text for the worker
    assert ei.value.code


def test_messages_tell_causes_apart():
    msgs = {c.code: c("x", status=500).message for c in
            (E.OfflineError, E.ServerError, E.AuthExpired, E.CertificateError)}
    assert len(set(msgs.values())) == 4
    assert "VPN" in msgs["offline"]
    assert "服务器出错" in msgs["server_error"]
    assert "登录已过期" in msgs["auth_expired"]
    assert "证书" in msgs["certificate"]


def test_retry_after_is_honoured(server, proxy):
    proxy.inject("status", path="/x", status=503, retry_after=0.4)
    t = make(proxy, retry=RetryPolicy(base=0.001, cap=5, max_attempts=3))
    start = time.monotonic()
    assert t.get("/x", authenticated=False).status == 200
    assert time.monotonic() - start >= 0.4
    proxy.inject("status", path="/x", status=429, retry_after=0, times=10)
    with pytest.raises(E.ServerBusy):
        t.get("/x", authenticated=False)


def test_backoff_is_full_jitter_and_capped():
    p = RetryPolicy(base=1, cap=60)
    rng = random.Random(3)
    delays = [p.delay(a, rng) for a in range(12) for _ in range(20)]
    assert all(0 <= d <= 60 for d in delays)
    assert max(p.delay(0, rng) for _ in range(200)) <= 1
    assert p.delay(0, rng, retry_after=30) >= 30
    assert p.delay(0, rng, retry_after=10_000) == 60  # a bogus header cannot stall for hours
    assert RetryPolicy.background().cap == 600
    assert parse_retry_after("3") == 3 and parse_retry_after("junk") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0


def test_cancel_interrupts_backoff(server, proxy):
    proxy.set_offline(True)
    cancel = threading.Event()
    t = make(proxy, retry=RetryPolicy(base=5, cap=5, max_attempts=5))
    threading.Timer(0.2, cancel.set).start()
    start = time.monotonic()
    with pytest.raises(E.SyncCancelled):
        t.get("/x", authenticated=False, cancel=cancel)
    assert time.monotonic() - start < 2


def test_close_aborts_a_blocked_read(server, proxy):
    proxy.inject("hang", path="/x")
    t = make(proxy, timeout=(2, 20), deadline=30)
    errors = []

    def run():
        try:
            t.get("/x", authenticated=False)
        except E.SyncError as exc:
            errors.append(exc)

    th = threading.Thread(target=run)
    th.start()
    deadline = time.monotonic() + 5
    while not proxy.events and time.monotonic() < deadline:
        time.sleep(0.01)
    t.close()
    th.join(5)
    assert not th.is_alive()
    assert isinstance(errors[0], (E.SyncCancelled, E.NetworkTimeout))


class _Tokens:
    """Token source double for the transport's 401 path (sync.client.auth is tested on the real server)."""

    def __init__(self, server, tokens):
        self.server, self.tokens, self.current, self.refreshes = server, list(tokens), "old", 0

    def access_token(self):
        return self.current

    def refresh(self, stale):
        self.refreshes += 1
        self.current = self.tokens.pop(0)
        return self.current


def test_401_refreshes_once_and_retries(server, proxy):
    server.valid_tokens.add("new")
    t = make(proxy)
    t.auth = _Tokens(server, ["new"])
    assert t.get("/auth").data["token"] == "new"
    assert t.auth.refreshes == 1
    t.auth = _Tokens(server, ["bad", "bad2"])
    with pytest.raises(E.AuthExpired) as ei:
        t.get("/auth")
    assert t.auth.refreshes == 1 and "重新输入密码" in ei.value.message


def test_empty_200_body_is_bad_response(server, proxy):
    with pytest.raises(E.BadResponse):
        make(proxy).get("/empty", authenticated=False, retry=False)


def test_device_id_is_stable(tmp_path):
    a = load_device_id(tmp_path)
    assert load_device_id(tmp_path) == a
    (tmp_path / "device_id").write_text("garbage")
    assert load_device_id(tmp_path) != a


def test_shaped_link_respects_bandwidth_and_rtt(server):
    with FaultProxy(server.url, bandwidth=200_000, rtt=0.1) as p:
        t = make(p)
        start = time.monotonic()
        r = t.get("/big?n=1500", authenticated=False)
        took = time.monotonic() - start
        size = r.bytes_received
        # handshake RTT + request/response RTT + serialization
        assert took >= 0.2 + size / 200_000 * 0.9
        assert p.stats()["bytes_down"] >= size


def test_shaped_link_with_loss_is_slower(server):
    with FaultProxy(server.url, bandwidth=400_000, rtt=0.02, loss=0.05, seed=3) as p:
        t = make(p)
        start = time.monotonic()
        r = t.get("/big?n=1500", authenticated=False)
        took = time.monotonic() - start
        assert p.down_link.lost_segments > 0
        assert took >= r.bytes_received / 400_000 + p.down_link.lost_segments * 0.02 * 0.9
