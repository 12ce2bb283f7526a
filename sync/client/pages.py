"""Pages of a pull (bootstrap or changes): fetched one ahead while the previous one is written,
and validated by their envelope."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ValidationError

from sync.client import errors as E


def prefetched(pool: ThreadPoolExecutor, fetch: Callable[[Any, Callable[[Any], None]], Any],
               first: Any, next_arg: Callable[[Any], Any]) -> Iterator[Any]:
    """Yield pages in order while the next one is already being fetched.

    Page N+1 needs the token or cursor of page N. When a server writes it at the head of
    the body, `fetch` reports it early (`early(token)`) and page N+1 starts while page N
    is still arriving, so the server renders N+1 while N crosses the link. The reference
    server currently writes it at the end (one gzip stream); then page N+1 starts when
    page N is complete, still before page N is written locally."""
    started: dict[Any, Future[Any]] = {}
    lock = threading.Lock()

    def start(arg: Any) -> Future[Any]:
        with lock:
            fut = started.get(arg)
            if fut is None:
                fut = started[arg] = pool.submit(fetch, arg, early)
            return fut

    def early(arg: Any) -> None:
        if arg is not None:
            start(arg)

    fut: Future[Any] | None = start(first)
    while fut is not None:
        page = fut.result()
        nxt = next_arg(page)
        fut = start(nxt) if nxt is not None else None
        with lock:  # pages already consumed can go
            for k in [k for k, f in started.items() if f.done() and f is not fut]:
                del started[k]
        yield page


# Envelope fields, matched on the first bytes of a page when a server writes them before the
# items; tokens and cursors are URL-safe text without quotes or escapes.
NEXT_PAGE_TOKEN = re.compile(rb'"next_page_token"\s*:\s*(?:"([A-Za-z0-9_.~=+/-]+)"|null)')
NEXT_CURSOR = re.compile(rb'"next_cursor"\s*:\s*"([A-Za-z0-9_.~=+/-]+)"')
HAS_MORE = re.compile(rb'"has_more"\s*:\s*(true|false)')


def envelope(model: type[BaseModel], data: Any, key: str) -> Page:
    """Validate a page's envelope with the wire model and its items with a light check: the
    pydantic round trip of 2,000 nested records per page costs more than writing them."""
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise E.BadResponse(f"{key} page without a {key} list")
    items = data[key]
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("id"), str)
                and isinstance(item.get("type"), str)
                and isinstance(item.get("version"), int) and not isinstance(item["version"], bool)
                and (isinstance(item.get("data"), dict) or isinstance(item.get("removed"), dict))):
            raise E.BadResponse(f"malformed item in {key} page: {str(item)[:120]}")
    try:
        meta = model.model_validate({**data, key: []})
    except ValidationError as exc:
        raise E.BadResponse(f"{key} page: {str(exc)[:200]}") from exc
    return Page(meta, items)


class Page:
    """A validated page envelope (attributes of the wire model) plus its raw items."""

    def __init__(self, meta: Any, items: list[dict[str, Any]]) -> None:
        self._meta = meta
        self.items = items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._meta, name)
