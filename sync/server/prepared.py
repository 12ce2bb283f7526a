"""Hot statements of push, compiled once per dialect and run through exec_driver_sql.

SQLAlchemy's per-call statement handling (cache key, result map) costs ~150 µs per SELECT, several
times SQLite's own work; the statements stay Core expressions, so they still compile for any dialect.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, CursorResult, Dialect, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase


class Prepared:
    """One statement without expanding (IN) parameters; call with its bind values by name."""

    def __init__(self, stmt: Select[Any] | UpdateBase) -> None:
        self.stmt = stmt
        self._by_dialect: dict[str, tuple[str, tuple[str, ...] | None, dict[str, Any]] | None] = {}

    def _prepare(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None, dict[str, Any]] | None:
        compiled = self.stmt.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)  # a SQL statement compiles to SQL
        # Bind or result processing (types that convert values) needs the full execution path.
        if compiled._bind_processors or any(bp.expanding for bp in compiled.binds.values()):
            return None
        escaped = getattr(compiled, "escaped_bind_names", None) or {}
        defaults = {escaped.get(name, name): bp.value for name, bp in compiled.binds.items()
                    if not bp.required}
        names = None
        if dialect.positional:
            names = tuple(escaped.get(n, n) for n in compiled.positiontup or ())
        return str(compiled), names, defaults

    def __call__(self, conn: Connection, **params: Any) -> CursorResult[Any]:
        dialect = conn.dialect
        key = dialect.name
        if key not in self._by_dialect:
            self._by_dialect[key] = self._prepare(dialect)
        prepared = self._by_dialect[key]
        if prepared is None:
            return conn.execute(self.stmt, params)
        sql, names, defaults = prepared
        values = {**defaults, **params} if defaults else params
        if names is not None:
            return conn.exec_driver_sql(sql, tuple(values[n] for n in names))
        return conn.exec_driver_sql(sql, values)
