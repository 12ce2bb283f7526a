"""A seeded, fault-injecting HTTP/1.1 proxy on loopback for sync tests and the slow-link bench.

It sits between the client and the real reference server and, per request, can drop the request,
cut the response after the server committed, truncate or corrupt the body, delay, hang, answer
503/429 itself, and shape the link (bandwidth shared per direction + round-trip latency).
Faults are scripted (`inject`) or drawn from a seeded RNG (`set_random`); `events` records what
happened to each request so a failing seed can be replayed and understood."""

from __future__ import annotations

import random
import select
import socket
import threading
import time
from dataclasses import dataclass, field

FAULTS = ("drop_request", "cut_response", "truncate", "corrupt", "delay", "hang",
          "hang_after_commit", "status", "slow_body")


@dataclass
class Rule:
    fault: str
    path: str | None = None  # substring of the request path
    method: str | None = None
    times: int = 1  # how many matching requests it applies to; -1 = for ever
    params: dict = field(default_factory=dict)


@dataclass
class Event:
    n: int
    method: str
    path: str
    fault: str | None
    status: int | None = None
    up: int = 0
    down: int = 0


class _Link:
    """One direction of a shaped link: bytes are serialized at `bandwidth` bytes/s (shared by all
    connections, like one VPN tunnel) and arrive `latency` seconds later."""

    def __init__(self, bandwidth: float | None, latency: float, loss: float = 0.0,
                 seed: int = 0) -> None:
        self.bandwidth = bandwidth
        self.latency = latency
        self.loss = loss
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.next_free = 0.0
        self.lost_segments = 0

    def send(self, sock: socket.socket, data: bytes, stop: threading.Event,
             first: bool = True) -> None:
        if first and self.latency > 0:
            stop.wait(self.latency)
        if not self.bandwidth:
            sock.sendall(data)
            return
        piece = 8192
        for i in range(0, len(data), piece):
            chunk = data[i:i + piece]
            with self.lock:
                start = max(time.monotonic(), self.next_free)
                cost = len(chunk) / self.bandwidth
                # Packet loss: each lost 1460-byte segment stalls the flow for about one
                # round trip (fast retransmit), as a lossy VPN does to one TCP connection.
                for _ in range(-(-len(chunk) // 1460)):
                    if self.loss and self.rng.random() < self.loss:
                        cost += 2 * self.latency
                        self.lost_segments += 1
                self.next_free = start + cost
                until = self.next_free
            delay = until - time.monotonic()
            if delay > 0 and stop.wait(delay):
                raise ConnectionAbortedError("proxy stopped")
            sock.sendall(chunk)


class FaultProxy:
    def __init__(self, upstream: str | tuple[str, int], *, seed: int = 0,
                 bandwidth: float | None = None, rtt: float = 0.0, loss: float = 0.0,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        if isinstance(upstream, str):
            hostport = upstream.split("://", 1)[-1].rstrip("/")
            h, _, p = hostport.rpartition(":")
            upstream = (h, int(p))
        self.upstream = upstream
        self.host = host
        self.port = port
        self.up_link = _Link(bandwidth, rtt / 2, loss, seed)
        self.down_link = _Link(bandwidth, rtt / 2, loss, seed + 1)
        self.rtt = rtt
        self.rng = random.Random(seed)
        self.seed = seed
        self.rules: list[Rule] = []
        self.random_rates: dict[str, float] = {}
        self.random_params: dict[str, dict] = {}
        self.random_paths: tuple[str, ...] | None = None
        self.events: list[Event] = []
        self.connections = 0
        self.bytes_up = 0
        self.bytes_down = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._clients: set[socket.socket] = set()
        self.release_hangs = threading.Event()

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._stop.clear()
        self._listen()
        return self

    def _listen(self) -> None:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((self.host, self.port))
        ls.listen(64)
        self.port = ls.getsockname()[1]
        self._listener = ls
        t = threading.Thread(target=self._accept_loop, args=(ls,), daemon=True,
                             name=f"fault-proxy-{self.port}")
        self._accept_thread = t
        t.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def set_offline(self, offline: bool) -> None:
        """Offline = nothing listens on the port (connection refused, like a VPN that is down)."""
        if offline and self._listener is not None:
            ls, self._listener = self._listener, None
            _close_listener(ls)
            self._close_clients()
            if self._accept_thread:
                self._accept_thread.join(5)
        elif not offline and self._listener is None:
            self._listen()

    def stop(self) -> None:
        self._stop.set()
        self.release_hangs.set()
        if self._listener is not None:
            _close_listener(self._listener)
            self._listener = None
        self._close_clients()
        if self._accept_thread:
            self._accept_thread.join(5)

    def _close_clients(self) -> None:
        with self._lock:
            clients = list(self._clients)
        for c in clients:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- fault plans -------------------------------------------------------------------------
    def inject(self, fault: str, *, path: str | None = None, method: str | None = None,
               times: int = 1, **params: object) -> None:
        if fault not in FAULTS:
            raise ValueError(fault)
        with self._lock:
            self.rules.append(Rule(fault, path, method, times, dict(params)))

    def set_random(self, rates: dict[str, float], *, seed: int | None = None,
                   params: dict[str, dict] | None = None,
                   paths: tuple[str, ...] | None = None) -> None:
        for f in rates:
            if f not in FAULTS:
                raise ValueError(f)
        with self._lock:
            self.random_rates = dict(rates)
            self.random_params = dict(params or {})
            self.random_paths = paths
            if seed is not None:
                self.rng = random.Random(seed)
                self.seed = seed

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.random_rates = {}

    def faults_seen(self, fault: str | None = None) -> list[Event]:
        with self._lock:
            return [e for e in self.events if e.fault and (fault is None or e.fault == fault)]

    def _choose(self, method: str, path: str) -> tuple[str | None, dict]:
        with self._lock:
            for rule in self.rules:
                if rule.times == 0:
                    continue
                if rule.path and rule.path not in path:
                    continue
                if rule.method and rule.method != method:
                    continue
                if rule.times > 0:
                    rule.times -= 1
                return rule.fault, rule.params
            if self.random_rates and (self.random_paths is None
                                      or any(p in path for p in self.random_paths)):
                x = self.rng.random()
                acc = 0.0
                for fault in sorted(self.random_rates):
                    acc += self.random_rates[fault]
                    if x < acc:
                        return fault, dict(self.random_params.get(fault, {}))
        return None, {}

    # -- serving -----------------------------------------------------------------------------
    def _accept_loop(self, ls: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _ = ls.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                self._clients.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        buf = bytearray()
        try:
            if self.rtt:
                self._stop.wait(self.rtt)  # TCP handshake on a long link
            while not self._stop.is_set():
                req = _read_message(client, buf, is_request=True)
                if req is None:
                    return
                head, body, method, path, hdrs = req
                keep = self._handle(client, head, body, method, path, hdrs)
                if not keep:
                    return
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._clients.discard(client)
            try:
                client.close()
            except OSError:
                pass

    def _handle(self, client: socket.socket, head: bytes, body: bytes, method: str, path: str,
                hdrs: dict[str, str]) -> bool:
        fault, params = self._choose(method, path)
        with self._lock:
            ev = Event(len(self.events), method, path, fault, up=len(head) + len(body))
            self.events.append(ev)
            self.bytes_up += ev.up
        # the request crosses the link first
        if self.up_link.latency or self.up_link.bandwidth:
            sink = _NullSock()
            self.up_link.send(sink, head + body, self._stop)  # type: ignore[arg-type]
        if fault == "drop_request":
            _reset(client)
            return False
        if fault == "hang":
            self._hang(client, params)
            return False
        if fault == "delay":
            self._stop.wait(float(params.get("seconds", 1.0)))
        if fault == "status":
            status = int(params.get("status", 503))
            retry_after = params.get("retry_after", 1)
            body_out = (b'{"type":"about:blank","title":"injected","status":%d,'
                        b'"code":"service_unavailable"}' % status)
            reason = {429: "Too Many Requests", 503: "Service Unavailable"}.get(status, "Error")
            resp = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/problem+json\r\n"
                    f"Retry-After: {retry_after}\r\nContent-Length: {len(body_out)}\r\n\r\n"
                    ).encode() + body_out
            ev.status = status
            self._send_down(client, resp, ev)
            return True
        resp = self._forward(head, body, hdrs)
        rhead, rbody, status, rh = resp
        ev.status = status
        if fault == "cut_response":
            _reset(client)  # the server committed; the client never hears about it
            return False
        if fault == "hang_after_commit":
            self._hang(client, params)
            return False
        close_after = "close" in hdrs.get("connection", "").lower()
        framed = "content-length" in rh or "chunked" in rh.get("transfer-encoding", "").lower()
        if not framed:
            close_after = True
        rhead = _set_connection(rhead, close_after)
        if fault == "truncate":
            frac = float(params.get("fraction", self.rng.uniform(0.1, 0.9)))
            cut = max(0, min(len(rbody) - 1, int(len(rbody) * frac)))
            self._send_down(client, rhead + rbody[:cut], ev)
            _reset(client)
            return False
        if fault == "corrupt" and rbody:
            bad = bytearray(rbody)
            rng = random.Random(self.rng.random())
            for _ in range(max(1, int(params.get("bytes", 8)))):
                i = rng.randrange(len(bad))
                bad[i] ^= 0xFF
            rbody = bytes(bad)
        if fault == "slow_body":
            rate = float(params.get("rate", 200.0))
            client.sendall(rhead)
            for i in range(0, len(rbody), 64):
                if self._stop.wait(64 / rate):
                    return False
                client.sendall(rbody[i:i + 64])
            with self._lock:
                self.bytes_down += len(rhead) + len(rbody)
            return not close_after
        self._send_down(client, rhead + rbody, ev)
        return not close_after

    def _send_down(self, client: socket.socket, data: bytes, ev: Event) -> None:
        ev.down += len(data)
        with self._lock:
            self.bytes_down += len(data)
        self.down_link.send(client, data, self._stop)

    def _hang(self, client: socket.socket, params: dict) -> None:
        limit = float(params.get("seconds", 3600))
        end = time.monotonic() + limit
        while not self._stop.is_set() and not self.release_hangs.is_set():
            left = end - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([client], [], [], min(0.05, left))
            if r:
                try:
                    if not client.recv(65536):
                        break  # the client gave up
                except OSError:
                    break
        _reset(client)

    def _forward(self, head: bytes, body: bytes, hdrs: dict[str, str]
                 ) -> tuple[bytes, bytes, int, dict[str, str]]:
        up = socket.create_connection(self.upstream, timeout=120)
        try:
            up.sendall(_set_connection(head, True) + body)
            buf = bytearray()
            msg = _read_message(up, buf, is_request=False)
            if msg is None:
                raise ConnectionError("upstream closed without a response")
            rhead, rbody, _, status_text, rh = msg
            return rhead, rbody, int(status_text), rh
        finally:
            up.close()

    # -- figures for the bench -----------------------------------------------------------------
    def stats(self) -> dict:
        with self._lock:
            return {"requests": len(self.events), "connections": self.connections,
                    "bytes_up": self.bytes_up, "bytes_down": self.bytes_down}

    def reset_stats(self) -> None:
        with self._lock:
            self.events.clear()
            self.connections = 0
            self.bytes_up = self.bytes_down = 0


class _NullSock:
    def sendall(self, data: bytes) -> None:
        pass


def _close_listener(ls: socket.socket) -> None:
    # close() alone does not wake a thread blocked in accept() on Linux; shutdown() does
    try:
        ls.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    ls.close()


def _reset(sock: socket.socket) -> None:
    # RST instead of FIN: the client sees "connection reset", as when a VPN tunnel drops.
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _set_connection(head: bytes, close: bool) -> bytes:
    lines = head.split(b"\r\n")
    out = [ln for ln in lines[1:] if ln and not ln.lower().startswith(b"connection:")]
    if close:
        out.append(b"Connection: close")
    return b"\r\n".join([lines[0], *out]) + b"\r\n\r\n"


def _recv_more(sock: socket.socket, buf: bytearray) -> bool:
    data = sock.recv(65536)
    if not data:
        return False
    buf += data
    return True


def _read_message(sock: socket.socket, buf: bytearray, *, is_request: bool):
    """Read one HTTP/1.1 message; returns (head, body, method|None, path|status, headers) or None."""
    while b"\r\n\r\n" not in buf:
        if not _recv_more(sock, buf):
            if buf and not is_request:
                raise ConnectionError("truncated head")
            return None
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end])
    del buf[:end]
    lines = head.decode("latin-1").split("\r\n")
    first = lines[0].split(" ")
    hdrs: dict[str, str] = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    if is_request:
        method, target = first[0], first[1] if len(first) > 1 else "/"
        tag1, tag2 = method, target
    else:
        tag1, tag2 = None, first[1] if len(first) > 1 else "0"
    if "content-length" in hdrs:
        n = int(hdrs["content-length"])
        while len(buf) < n:
            if not _recv_more(sock, buf):
                raise ConnectionError("truncated body")
        body = bytes(buf[:n])
        del buf[:n]
    elif "chunked" in hdrs.get("transfer-encoding", "").lower():
        body = _read_chunked(sock, buf)
    elif is_request or tag2 in ("204", "304"):
        body = b""
    else:
        while _recv_more(sock, buf):
            pass
        body = bytes(buf)
        buf.clear()
    return head, body, tag1, tag2, hdrs


def _read_chunked(sock: socket.socket, buf: bytearray) -> bytes:
    # Returns the raw chunked framing (forwarded as is), read up to the terminating chunk.
    pos = 0
    while True:
        while b"\r\n" not in buf[pos:]:
            if not _recv_more(sock, buf):
                raise ConnectionError("truncated chunk")
        line_end = buf.index(b"\r\n", pos)
        size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        need = line_end + 2 + size + 2
        while len(buf) < need:
            if not _recv_more(sock, buf):
                raise ConnectionError("truncated chunk")
        pos = need
        if size == 0:
            # trailers are not used by our server; the final CRLF was consumed above
            raw = bytes(buf[:pos])
            del buf[:pos]
            return raw
