"""HTTP transport of the sync protocol: one requests session per thread, connect/read timeouts plus
an overall deadline, full-jitter backoff honouring Retry-After, gzip'd request bodies and typed
errors from problem+json. It knows nothing about cases; sync/client/engine.py drives it."""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import json
import logging
import os
import random
import socket
import ssl
import threading
import time
import uuid
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol
from urllib.parse import urlsplit

import requests
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions as u3

from client import __version__
from sync.client import errors as E
from sync.client.certs import ClientIdentity

log = logging.getLogger(__name__)

GZIP_THRESHOLD = 1024  # request bodies above this many bytes are sent gzip'd
DEFAULT_TIMEOUT = (10.05, 30.0)  # (connect, read gap between bytes), seconds
DEFAULT_DEADLINE = 120.0  # overall seconds per attempt, whatever the read gaps are


class CancelToken(Protocol):
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


class TokenSource(Protocol):
    """What the transport needs from sync.client.auth: a current access token and a single-flight refresh."""

    def access_token(self) -> str: ...
    def refresh(self, stale_token: str | None) -> str: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Full-jitter exponential backoff: sleep uniform(0, min(cap, base * 2**attempt))."""

    base: float = 1.0
    cap: float = 60.0
    max_attempts: int = 6

    @classmethod
    def foreground(cls) -> RetryPolicy:
        return cls(base=1.0, cap=60.0, max_attempts=6)

    @classmethod
    def background(cls) -> RetryPolicy:
        return cls(base=1.0, cap=600.0, max_attempts=12)

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        jitter = rng.uniform(0.0, min(self.cap, self.base * (2 ** attempt)))
        if retry_after is not None:
            # The server knows best when it will be ready; never come back earlier than it says,
            # but never wait longer than the cap either (a bogus header must not stall the worker).
            return min(max(retry_after, jitter), max(self.cap, 0.0))
        return jitter


@dataclass
class Response:
    status: int
    data: Any
    headers: dict[str, str]
    request_id: str | None
    server_time: str | None
    bytes_received: int
    elapsed: float


@dataclass
class TransportStats:
    requests: int = 0
    attempts: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    retries: int = 0
    seconds: float = 0.0  # wall time spent in HTTP attempts (send to last body byte)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **kw: float) -> None:
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def as_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "attempts": self.attempts, "retries": self.retries,
                "bytes_sent": self.bytes_sent, "bytes_received": self.bytes_received,
                "seconds": round(self.seconds, 3)}


def load_device_id(data_dir: str | os.PathLike[str]) -> str:
    """The device id of this installation: a UUID made once and kept in data_dir/device_id."""
    path = Path(data_dir) / "device_id"
    try:
        text = path.read_text(encoding="ascii").strip()
        uuid.UUID(text)
        return text
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    new = str(uuid.uuid4())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new, encoding="ascii")
    os.replace(tmp, path)
    return new


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1, by the text of the address alone (no name lookup)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_cleartext(base_url: str) -> None:
    """Only https://, except to this computer: raised before any connection (and any retry)."""
    parts = urlsplit(base_url.strip())
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback_host(parts.hostname or ""):
        return
    raise E.InsecureServer(f"refused {parts.scheme or '?'}:// to {parts.hostname or '?'}")


class Transport:
    """Sends protocol requests to one server. Thread-safe: each thread gets its own session."""

    def __init__(self, base_url: str, *, device_id: str, ca_bundle: str | None = None,
                 client_cert: str | tuple[str, str] | ClientIdentity | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 deadline: float = DEFAULT_DEADLINE, retry: RetryPolicy | None = None,
                 rng: random.Random | None = None, client_version: str = __version__) -> None:
        if ca_bundle is False:  # type: ignore[comparison-overlap]
            raise ValueError("TLS verification cannot be switched off; give a CA bundle instead")
        refuse_cleartext(base_url)
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.verify: str | bool = ca_bundle or True
        # A .p12 identity is presented through the SSL context (its key stays encrypted on disk).
        self.ssl_context = client_cert.ssl_context(ca_bundle) if isinstance(client_cert, ClientIdentity) else None
        self.client_cert = None if isinstance(client_cert, ClientIdentity) else client_cert
        self.timeout = timeout
        self.deadline = deadline
        self.retry = retry or RetryPolicy.foreground()
        self.rng = rng or random.Random()
        self.client_version = client_version
        self.auth: TokenSource | None = None
        self.stats = TransportStats()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._closed = threading.Event()
        self._inflight: set[Any] = set()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._inflight_lock = threading.Lock()

    # -- sessions ------------------------------------------------------------------------
    def session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            # No urllib3-level retries at all: a POST must never be resent behind our back, and
            # GET retries go through the same backoff/deadline logic as everything else.
            adapter = _TrackingAdapter(self._register_socket, self.ssl_context, max_retries=0,
                                       pool_connections=2, pool_maxsize=4)
            s.mount("http://", adapter)
            s.mount("https://", adapter)
            s.headers.update({
                "User-Agent": f"hecha/{self.client_version}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "X-Device-Id": self.device_id,
                "X-Client-Version": self.client_version,
            })
            s.trust_env = False  # a proxy from the environment must not redirect sync traffic
            self._local.session = s
            with self._sessions_lock:
                self._sessions.append(s)
        return s

    def close(self) -> None:
        """Close every session and interrupt waits and in-flight reads (window closing)."""
        self._closed.set()
        self.abort_inflight()
        with self._sessions_lock:
            for s in self._sessions:
                try:
                    s.close()
                except Exception:  # noqa: BLE001 - closing must never raise
                    pass
            self._sessions.clear()

    def _register_socket(self, sock: socket.socket) -> None:
        with self._inflight_lock:
            self._sockets.add(sock)

    def abort_inflight(self) -> None:
        """Shut down every socket of this transport, so blocked reads return at once."""
        with self._inflight_lock:
            socks = list(self._sockets)
            self._sockets.clear()
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # -- requests ------------------------------------------------------------------------
    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.request("POST", path, json_body=body, **kw)

    def request(self, method: str, path: str, *, json_body: Any = None,
                params: dict[str, Any] | None = None, authenticated: bool = True, retry: bool = True,
                cancel: CancelToken | None = None, deadline: float | None = None,
                policy: RetryPolicy | None = None,
                on_prefix: Callable[[bytes], bool] | None = None) -> Response:
        """One protocol call with retries. Returns a 2xx Response or raises a typed SyncError."""
        policy = policy or self.retry
        body = None
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
        self.stats.add(requests=1)
        attempt = 0
        refreshed = False
        while True:
            self._check_cancel(cancel)
            token = None
            if authenticated:
                if self.auth is None:
                    raise E.AuthExpired("no credentials")
                token = self.auth.access_token()
            try:
                resp = self._send_once(method, path, body, params, token,
                                       deadline if deadline is not None else self.deadline, cancel,
                                       on_prefix)
                if resp.status == 401 and authenticated and not refreshed:
                    # Single-flight refresh in sync.client.auth; concurrent 401s wait for it and retry once.
                    refreshed = True
                    self.auth.refresh(token)  # type: ignore[union-attr]
                    continue
                if resp.status >= 400:
                    raise E.error_for_status(
                        resp.status, resp.data if isinstance(resp.data, dict) else None,
                        request_id=resp.request_id,
                        retry_after=parse_retry_after(resp.headers.get("retry-after")))
                return resp
            except E.SyncError as err:
                if isinstance(err, E.SyncCancelled) or not (retry and err.retryable):
                    raise
                if attempt + 1 >= policy.max_attempts or self._closed.is_set():
                    raise
                wait = policy.delay(attempt, self.rng, err.retry_after)
                log.info("sync %s %s failed (%s); retry %d in %.2fs", method, path, err.code,
                         attempt + 1, wait)
                attempt += 1
                self.stats.add(retries=1)
                self._sleep(wait, cancel)

    def _sleep(self, seconds: float, cancel: CancelToken | None) -> None:
        end = time.monotonic() + seconds
        while True:
            self._check_cancel(cancel)
            left = end - time.monotonic()
            if left <= 0:
                return
            step = min(left, 0.1)
            if cancel is not None:
                if cancel.wait(step):
                    self._check_cancel(cancel)
            elif self._closed.wait(step):
                raise E.SyncCancelled("transport closed")

    def _check_cancel(self, cancel: CancelToken | None) -> None:
        if self._closed.is_set():
            raise E.SyncCancelled("transport closed")
        if cancel is not None and cancel.is_set():
            raise E.SyncCancelled("cancelled")

    def _send_once(self, method: str, path: str, body: bytes | None, params: dict[str, Any] | None,
                   token: str | None, deadline_s: float, cancel: CancelToken | None,
                   on_prefix: Callable[[bytes], bool] | None = None) -> Response:
        start = time.monotonic()
        deadline = start + deadline_s
        request_id = uuid.uuid4().hex
        headers = {"X-Request-Id": request_id}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body
        if body is not None:
            headers["Content-Type"] = "application/json"
            if len(body) > GZIP_THRESHOLD:
                data = gzip.compress(body, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
        connect, read = self.timeout
        url = self.base_url + path
        self.stats.add(attempts=1, bytes_sent=len(data or b""))
        raw = None
        try:
            r = self.session().request(
                method, url, data=data, params=params, headers=headers, stream=True,
                timeout=(min(connect, deadline_s), min(read, deadline_s)), verify=self.verify,
                cert=self.client_cert, allow_redirects=False)
            raw = r.raw
            with self._inflight_lock:
                self._inflight.add(raw)
            # A read blocks until a whole chunk arrives, so a trickling body is stopped by a
            # watchdog that shuts the socket down when the overall deadline passes.
            expired = threading.Event()

            def _expire() -> None:
                expired.set()
                sock = _socket_of(raw)
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

            watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _expire)
            watchdog.daemon = True
            watchdog.start()
            chunks = []
            wire = 0
            try:
                for chunk in r.iter_content(16384):
                    chunks.append(chunk)
                    if on_prefix is not None and r.status_code == 200:
                        # The caller may act on the first bytes (e.g. start the next page)
                        # while the rest of a long body is still on the way.
                        if on_prefix(b"".join(chunks)) or len(chunks) > 1:
                            on_prefix = None
                    if cancel is not None and cancel.is_set():
                        r.close()
                        raise E.SyncCancelled("cancelled while reading")
            except (requests.exceptions.RequestException, OSError) as exc:
                if expired.is_set():
                    raise E.NetworkTimeout(f"deadline {deadline_s:.0f}s passed") from exc
                raise
            finally:
                watchdog.cancel()
            if expired.is_set():
                raise E.NetworkTimeout(f"deadline {deadline_s:.0f}s passed while reading")
            content = b"".join(chunks)
            try:
                wire = int(raw.tell()) if hasattr(raw, "tell") else len(content)
            except Exception:  # noqa: BLE001 - stats only
                wire = len(content)
        except E.SyncError:
            raise
        except requests.exceptions.SSLError as exc:
            raise E.CertificateError(_short(exc)) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise E.OfflineError(_short(exc)) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise E.NetworkTimeout(_short(exc)) from exc
        except (requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            if self._closed.is_set():
                raise E.SyncCancelled("transport closed") from exc
            raise E.BadResponse(_short(exc)) from exc
        except requests.exceptions.ConnectionError as exc:
            if self._closed.is_set():
                raise E.SyncCancelled("transport closed") from exc
            raise _classify_connection_error(exc) from exc
        except requests.exceptions.RequestException as exc:
            raise E.ConnectionLost(_short(exc)) from exc
        finally:
            if raw is not None:
                with self._inflight_lock:
                    self._inflight.discard(raw)
        elapsed = time.monotonic() - start
        self.stats.add(bytes_received=wire, seconds=elapsed)
        hdrs = {k.lower(): v for k, v in r.headers.items()}
        server_rid = hdrs.get("x-request-id") or request_id
        log.info("sync %s %s -> %d (%d bytes, %.0f ms) request_id=%s", method, path,
                 r.status_code, wire, elapsed * 1000, server_rid)
        parsed: Any = None
        ctype = hdrs.get("content-type", "")
        if content:
            try:
                parsed = json.loads(content)
            except (ValueError, UnicodeDecodeError) as exc:
                if r.status_code < 400 or "json" in ctype:
                    if r.status_code < 400:
                        raise E.BadResponse(f"body is not JSON ({len(content)} bytes)",
                                            request_id=server_rid) from exc
                parsed = None
        elif r.status_code < 400 and r.status_code != 204:
            raise E.BadResponse("empty body", request_id=server_rid)
        return Response(status=r.status_code, data=parsed, headers=hdrs, request_id=server_rid,
                        server_time=hdrs.get("x-server-time"), bytes_received=wire,
                        elapsed=elapsed)


class _TrackingAdapter(requests.adapters.HTTPAdapter):
    """An adapter whose connections report their sockets, so close() can interrupt a read that
    is blocked before any response header arrived (a hung server or VPN)."""

    def __init__(self, register: Callable[[socket.socket], None], ssl_context: ssl.SSLContext | None = None,
                 **kw: Any) -> None:
        self._register = register
        self._ssl_context = ssl_context
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        if self._ssl_context is not None:
            kw["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kw)
        register = self._register

        class Conn(urllib3.connection.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                register(self.sock)

        class SConn(urllib3.connection.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                register(self.sock)

        class Pool(urllib3.connectionpool.HTTPConnectionPool):
            ConnectionCls = Conn

        class SPool(urllib3.connectionpool.HTTPSConnectionPool):
            ConnectionCls = SConn

        self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SPool}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def _socket_of(raw: Any) -> socket.socket | None:
    conn = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    sock = getattr(conn, "sock", None)
    if sock is None:
        fp = getattr(raw, "_fp", None)
        sock = getattr(getattr(getattr(fp, "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _classify_connection_error(exc: requests.exceptions.ConnectionError) -> E.SyncError:
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", inner)
    if isinstance(reason, (u3.ReadTimeoutError, socket.timeout, TimeoutError)):
        return E.NetworkTimeout(_short(exc))
    if isinstance(reason, (u3.NewConnectionError, u3.NameResolutionError, u3.ConnectTimeoutError)):
        return E.OfflineError(_short(exc))
    if isinstance(reason, u3.SSLError):
        return E.CertificateError(_short(exc))
    if isinstance(inner, u3.MaxRetryError) and isinstance(reason, ConnectionRefusedError):
        return E.OfflineError(_short(exc))
    return E.ConnectionLost(_short(exc))
