"""The OpenAPI document is served, lists every route the app has, and docs/protocol.md names them."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.routing import APIRoute

ROOT = Path(__file__).resolve().parents[2]


def api_routes(routes):
    """Every APIRoute, also those of included routers (wrapped by newer FastAPI versions)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes)


def test_openapi_is_served_and_matches_the_routes_and_the_document(live_server):
    r = live_server.client().get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    served = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    routes = {(route.path, method) for route in api_routes(live_server.app.routes)
              for method in route.methods if method != "HEAD"}
    assert served == routes
    for path, ops in spec["paths"].items():
        for op in ops.values():
            for status, resp in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in resp.get("content", {"application/problem+json": 1}), \
                        (path, status)
    doc = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    named = set(re.findall(r"(/v1/[a-z/_{}]+)", doc))
    for path, _ in served:
        if not path.startswith("/v1/admin"):
            assert path in named, f"docs/protocol.md does not describe {path}"
    assert "/v1/admin/faults" in named
