"""Anchors of the audit chain outside the database: a rewritten chain is self-consistent, so the
server appends the chain head `{seq, hash, at}` after every write transaction that added entries to
an append-only 0600 file beside the signing key (`<db>.audit-anchor` next to a SQLite file,
`<secret file>.audit-anchor`, or `ServerConfig.audit_anchor_file` / `--audit-anchor`).
`hecha server audit verify` checks the chain against every anchor: a recorded (seq, hash) that the
database no longer has is a failure naming that seq.

The write is one line by one `os.write` on an O_APPEND descriptor (atomic between the processes of
`--workers N`), after the commit: no fsync, no database access (tens of microseconds).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from sync.server import schema as t
from sync.server.config import ServerConfig
from sync.server.store import AFTER_COMMIT

SUFFIX = ".audit-anchor"


def anchor_path(config: ServerConfig, db_url: str) -> Path | None:
    """Where this server anchors its chain; None when there is nowhere beside a key (an in-memory
    database, or a key from the environment without --audit-anchor)."""
    if config.audit_anchor_file:
        return Path(config.audit_anchor_file)
    u = make_url(db_url)
    if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:"):
        return Path(f"{u.database}{SUFFIX}")
    if config.secret_file:
        return Path(f"{config.secret_file}{SUFFIX}")
    return None


class AnchorFile:
    """The append-only anchor file (made 0600; one wider is refused, like the key file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() and path.stat().st_mode & 0o077:
            raise RuntimeError(f"审计锚点文件 {path} 的权限过宽：应为 0600（chmod 600 {path}）")

    def write(self, seq: int, hash_: str, at: str) -> None:
        line = json.dumps({"seq": seq, "hash": hash_, "at": at}, separators=(",", ":")) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)


def after_commit(conn: Connection, anchor: AnchorFile, seq: int, hash_: str, at: str) -> None:
    """Anchor (seq, hash) once `conn`'s transaction has committed; a later append in the same
    transaction replaces it (only the head matters)."""
    conn.info.setdefault(AFTER_COMMIT, {})["audit_anchor"] = lambda: anchor.write(seq, hash_, at)


def read_anchors(path: Path) -> list[dict[str, Any]]:
    """Every anchor in the file, in file order (a torn last line from a crash is skipped)."""
    out = []
    for line in path.read_text(encoding="ascii").splitlines():
        try:
            a = json.loads(line)
        except ValueError:
            continue
        if isinstance(a, dict) and isinstance(a.get("seq"), int) and isinstance(a.get("hash"), str):
            out.append(a)
    return out


@dataclass
class AnchorVerdict:
    ok: bool
    anchors: int
    first_bad: int | None = None
    reason: str = ""


def check_anchors(conn: Connection, anchors: list[dict[str, Any]]) -> AnchorVerdict:
    """Every anchored (seq, hash) must still be in the chain; the lowest that is not is named."""
    want: dict[int, set[str]] = {}
    for a in anchors:
        want.setdefault(a["seq"], set()).add(a["hash"])
    if not want:
        return AnchorVerdict(True, 0)
    seqs = sorted(want)
    have: dict[int, str] = {}
    for i in range(0, len(seqs), 500):
        have.update((r.seq, r.hash) for r in conn.execute(
            select(t.audit_log.c.seq, t.audit_log.c.hash).where(t.audit_log.c.seq.in_(seqs[i:i + 500]))))
    for seq in seqs:
        if seq not in have:
            return AnchorVerdict(False, len(anchors), seq, f"锚点记录的第 {seq} 条已不在数据库中（日志被截断或重写）")
        if want[seq] != {have[seq]}:
            return AnchorVerdict(False, len(anchors), seq, f"第 {seq} 条的哈希与锚点记录的不符（日志被重写）")
    return AnchorVerdict(True, len(anchors))
