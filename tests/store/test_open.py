"""Opening the encrypted store: keys, foreign files, pragmas, rekey, transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from client.store import (
    Case,
    DiskFullError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreBusyError,
    StoreError,
    UnencryptedDatabaseError,
    WrongKeyError,
    advance_shadow,
    get_state,
    new_key,
    open_store,
    set_state,
)
from client.store.migrations import LATEST
from tests.store.conftest import error_record


def _count_cases(store) -> int:
    with store.read() as session:
        return session.execute(select(func.count()).select_from(Case)).scalar_one()


def _put(store, case_id="E-1", version=1, name="张三"):
    record = error_record(case_id, version, name=name)
    with store.write() as session:
        assert advance_shadow(session, case_id, "error", version, record["data"])


def test_new_key_is_32_random_bytes():
    a, b = new_key(), new_key()
    assert len(a) == len(b) == 32 and a != b


@pytest.mark.parametrize("bad", [b"", b"x" * 31, b"x" * 33, "0" * 64, None])
def test_key_must_be_32_raw_bytes(tmp_path, bad):
    with pytest.raises(ValueError):
        open_store(tmp_path / "a.db", bad)
    assert not (tmp_path / "a.db").exists()


def test_file_is_encrypted_and_unreadable_without_key(tmp_path, key):
    path = tmp_path / "a.db"
    with open_store(path, key) as store:
        _put(store, name="保密姓名")
        wal = Path(f"{path}-wal").read_bytes()
        assert len(wal) > 0 and "保密姓名".encode() not in wal  # the WAL is encrypted too
        # Make sure the rows reached the main file too, not only the WAL.
        assert store.checkpoint()
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert "保密姓名".encode() not in raw and b"shadow_data" not in raw
    plain = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()


def test_wrong_key_raises_typed_error_in_chinese(tmp_path, key):
    path = tmp_path / "a.db"
    open_store(path, key).close()
    with pytest.raises(WrongKeyError) as info:
        open_store(path, new_key())
    assert "数据库密码不正确" in str(info.value)
    assert info.value.path == str(path)
    # The right key still opens it: the failed attempt changed nothing.
    with open_store(path, key) as store:
        assert store.schema_version == LATEST


def test_plain_sqlite_file_is_refused(tmp_path, key):
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(UnencryptedDatabaseError) as info:
        open_store(path, key)
    assert "未加密" in str(info.value)


@pytest.mark.parametrize("content", [b"hello world\n" * 100, b"\x00" * 100, b"x"])
def test_non_database_file_raises_not_a_database(tmp_path, key, content):
    path = tmp_path / "junk.db"
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError) as info:
        open_store(path, key)
    assert not isinstance(info.value, WrongKeyError)
    assert "损坏" in str(info.value)
    assert path.read_bytes() == content  # never "repaired" by overwriting


def test_truncated_store_is_not_a_database(tmp_path, key):
    path = tmp_path / "a.db"
    with open_store(path, key) as store:
        _put(store)
    data = path.read_bytes()
    path.write_bytes(data[:1000])
    with pytest.raises(NotADatabaseError):
        open_store(path, key)


def test_pragmas_in_effect_on_every_connection(store):
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("synchronous") == 2  # FULL
    assert store.pragma("foreign_keys") == 1
    assert store.pragma("busy_timeout") >= 5000
    # The pool hands out several connections: each one is keyed and configured.
    conns = [store.engine.connect() for _ in range(3)]
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("SELECT count(*) FROM cases").scalar() == 0
    finally:
        for conn in conns:
            conn.close()


def test_rekey_changes_the_key_and_keeps_data(tmp_path, key):
    path = tmp_path / "a.db"
    second = new_key()
    with open_store(path, key) as store:
        _put(store, "E-1")
        store.rekey(second)
        _put(store, "E-2")  # the store keeps working under the new key
        assert _count_cases(store) == 2
        assert store.check_integrity() == []
    with pytest.raises(WrongKeyError):
        open_store(path, key)
    with open_store(path, second) as store:
        assert _count_cases(store) == 2


def test_write_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.write() as session:
            set_state(session, "cursor", "c-1")
            _row = error_record("E-9")
            advance_shadow(session, "E-9", "error", 1, _row["data"])
            raise RuntimeError("boom")
    with store.read() as session:
        assert get_state(session, "cursor") is None
    assert _count_cases(store) == 0


def test_write_takes_the_lock_up_front(store):
    # BEGIN IMMEDIATE: while one write is open, a second writer cannot start.
    with store.write():
        with store.engine.connect() as other:
            other.exec_driver_sql("PRAGMA busy_timeout = 0")
            with pytest.raises(Exception, match="locked"):
                other.exec_driver_sql("BEGIN IMMEDIATE")


def test_second_writer_waits_then_gets_a_typed_busy_error(tmp_path, key):
    path = tmp_path / "a.db"
    with open_store(path, key, busy_timeout=0.2) as first, open_store(path, key, busy_timeout=0.2) as second:
        with first.write() as session:
            set_state(session, "cursor", "held")
            with pytest.raises(StoreBusyError) as info:
                with second.write():
                    pass
            assert "占用" in str(info.value)
            with second.read() as reader:  # readers are never blocked by the writer
                assert get_state(reader, "cursor") is None
        with second.write() as session:  # the lock is free again
            assert get_state(session, "cursor") == "held"


def test_disk_full_is_a_typed_error_and_saves_nothing(store):
    _put(store, "E-1")
    with pytest.raises(DiskFullError) as info:
        with store.write() as session:
            set_state(session, "cursor", "c-9")
            # The file may not grow: SQLite answers exactly as it does on a full disk.
            pages = session.execute(text("PRAGMA page_count")).scalar()
            session.execute(text(f"PRAGMA max_page_count = {pages}"))
            advance_shadow(session, "E-2", "error", 1, {"person": {"name": "张三"}, "pad": "x" * 100_000})
    assert "磁盘空间不足" in str(info.value)
    store.engine.dispose()  # drop the connection that carries the size limit
    with store.read() as session:
        assert get_state(session, "cursor") is None and session.get(Case, "E-2") is None
    _put(store, "E-3")  # and the store works on
    assert _count_cases(store) == 2


def test_read_sees_a_consistent_snapshot(store):
    _put(store, "E-1")
    with store.read() as session:
        before = session.execute(select(func.count()).select_from(Case)).scalar_one()
        _put(store, "E-2")  # committed by another connection meanwhile
        during = session.execute(select(func.count()).select_from(Case)).scalar_one()
    assert before == during == 1
    assert _count_cases(store) == 2


def test_read_sessions_refuse_writes_and_leave_writers_alone(store):
    with pytest.raises(DBAPIError, match="readonly"):
        with store.read() as session:
            set_state(session, "cursor", "lost")
    with store.read() as session:  # a failed read leaves its connection healthy
        assert get_state(session, "cursor") is None
    for _ in range(3):  # whichever pooled connection a writer gets, it can write
        with store.write() as session:
            set_state(session, "cursor", "kept")
    with store.read() as session:
        case_count = session.execute(select(func.count()).select_from(Case)).scalar_one()
    assert case_count == 0
    with store.read() as session:
        assert get_state(session, "cursor") == "kept"


def test_objects_loaded_in_a_read_stay_usable_after_it(store):
    _put(store, "E-1", name="王五")
    with store.read() as session:
        case = session.get(Case, "E-1")
    assert case.shadow_data["person"]["name"] == "王五" and case.local_state == "open"


def test_sync_state_round_trip(store):
    with store.write() as session:
        set_state(session, "cursor", "abc")
        set_state(session, "scope_digest", {"n": 1, "h": "ff"})
    with store.write() as session:
        set_state(session, "cursor", "def")
        set_state(session, "scope_digest", None)
    with store.read() as session:
        assert get_state(session, "cursor") == "def"
        assert get_state(session, "scope_digest", "none") == "none"


def test_schema_too_new_is_refused(tmp_path, key):
    path = tmp_path / "a.db"
    with open_store(path, key) as store:
        with store.engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(SchemaTooNewError) as info:
        open_store(path, key)
    assert "升级" in str(info.value)


def test_closed_store_refuses_work(store):
    store.close()
    with pytest.raises(StoreError, match="已关闭"):
        with store.read():
            pass


def test_integrity_check_is_clean_and_detects_damage(tmp_path, key):
    path = tmp_path / "a.db"
    with open_store(path, key) as store:
        for i in range(200):
            _put(store, f"E-{i}", name="王" + "小" * (i % 5 + 1))
        assert store.checkpoint()
        assert store.check_integrity() == [] and store.check_integrity(quick=True) == []
    data = bytearray(path.read_bytes())
    assert len(data) >= 4 * 4096
    data[3 * 4096 + 100] ^= 0xFF  # one flipped bit on page 4
    path.write_bytes(bytes(data))
    store = open_store(path, key)  # page 1 is intact: the key still checks out
    try:
        assert store.check_integrity() != []
    finally:
        store.close()


def test_raw_sql_through_session(store):
    with store.write() as session:
        session.execute(text("INSERT INTO sync_state (key, value) VALUES ('x', '1')"))
    with store.read() as session:
        assert get_state(session, "x") == 1


def test_one_writer_thread_and_concurrent_reader_threads(store):
    # The documented model: writes on one thread, reads from any thread, each with its own session.
    import threading

    done = threading.Event()
    errors: list[BaseException] = []
    seen: list[list[int]] = [[], []]

    def writer():
        try:
            for n in range(1, 41):
                with store.write() as session:
                    set_state(session, "n", n)
                    advance_shadow(session, f"E-{n}", "error", 1, error_record(f"E-{n}")["data"])
        except BaseException as error:  # reported below: a thread must not swallow it
            errors.append(error)
        finally:
            done.set()

    def reader(slot):
        try:
            while not done.is_set():
                with store.read() as session:
                    n = get_state(session, "n", 0)
                    cases = session.execute(select(func.count()).select_from(Case)).scalar_one()
                assert cases == n  # one snapshot: the counter and the rows always agree
                seen[slot].append(n)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(s == sorted(s) for s in seen)  # readers never see time go backwards
    assert _count_cases(store) == 40
