"""A tiny stdlib HTTP server on loopback for transport and fault-proxy tests (not a sync server)."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class TinyServer:
    """Routes: POST /echo (returns what arrived, counts commits), GET /big?n=, GET /status/<code>,
    GET /auth (401 unless the bearer token is in `valid_tokens`)."""

    def __init__(self) -> None:
        self.commits: list[dict] = []
        self.valid_tokens: set[str] = set()
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def _reply(self, status: int, obj, ctype="application/json", extra=None):
                body = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Request-Id", "srv-" + str(len(outer.commits)))
                self.send_header("X-Server-Time", "2026-01-01T00:00:00Z")
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(n)
                enc = self.headers.get("Content-Encoding")
                data = gzip.decompress(raw) if enc == "gzip" else raw
                rec = {"path": self.path, "encoding": enc, "wire": len(raw),
                       "body": json.loads(data or b"null"),
                       "device": self.headers.get("X-Device-Id"),
                       "request_id": self.headers.get("X-Request-Id")}
                with outer.lock:
                    outer.commits.append(rec)
                self._reply(200, {"ok": True, "n": len(outer.commits), "echo": rec["body"]})

            def do_GET(self):
                if self.path.startswith("/big"):
                    n = int(self.path.split("n=")[1]) if "n=" in self.path else 1000
                    self._reply(200, {"items": [{"i": i, "text": "x" * 50} for i in range(n)]})
                elif self.path.startswith("/status/"):
                    code = int(self.path.rsplit("/", 1)[1].split("?")[0])
                    pcode = {410: "resync_required", 426: "client_too_old",
                             422: "idempotency_key_reused", 409: "request_in_progress",
                             401: "token_expired", 403: "forbidden"}.get(code, "error")
                    self._reply(code, {"type": "about:blank", "title": "t", "status": code,
                                       "code": pcode, "detail": "d"},
                                ctype="application/problem+json",
                                extra={"Retry-After": "0"} if code in (429, 503) else None)
                elif self.path.startswith("/auth"):
                    token = self.headers.get("Authorization", "")[7:]
                    if token in outer.valid_tokens:
                        self._reply(200, {"ok": True, "token": token})
                    else:
                        self._reply(401, {"code": "token_expired", "status": 401},
                                    ctype="application/problem+json")
                elif self.path.startswith("/empty"):
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._reply(200, {"path": self.path})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> TinyServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
