"""Runs an app under a real uvicorn server in a background thread (tests, benchmarks, `hecha demo`)."""

from __future__ import annotations

import socket
import threading
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from sync.server.tls import PeerCertProtocol, TlsSettings


def make_listener(host: str, port: int) -> socket.socket:
    """A listening TCP socket. proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted
    sockets only when it sees it, and without it every response waits ~40 ms (Nagle + delayed ACK)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def uvicorn_options(tls: TlsSettings | None) -> dict[str, Any]:
    """uvicorn.Config options of a plain or a TLS server (with the peer-certificate protocol)."""
    if tls is None:
        return {}
    return {"http": PeerCertProtocol, **tls.uvicorn_kwargs()}


class ServerThread:
    """uvicorn on a socket we bind ourselves, so the port is known before the thread starts."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning",
                 tls: TlsSettings | None = None) -> None:
        self.sock = make_listener(host, port)
        self.host, self.port = self.sock.getsockname()[:2]
        self.tls = tls
        config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off",
                                timeout_keep_alive=30, **uvicorn_options(tls))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name=f"hecha-server-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def start(self) -> "ServerThread":
        self.thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
