"""Province scale: 1,000,000 persons, 100,000 open cases, 1,500 township accounts, the morning sync.

Setup (timed, reported): a fresh database (a throw-away PostgreSQL cluster, or a SQLite file), the
accounts, filler persons up to --persons, then the cases arrive as a --cases-case feed through
`hecha server import`'s code (cases/s, next to a same-run bare executemany — and COPY on PostgreSQL —
of the same person and case rows; then the same feed again, which must change nothing). Every account
bootstraps (not timed). Overnight an incremental feed changes 1% of the cases. Then the measured
morning: `hecha server --workers W` as a process, and all accounts, at most --concurrency at a time,
each through the real client's transport and token handling (sync/client: login with the password
at the server's real hashing cost, the access token refreshed before it expires, the foreground
retry policy): log in, pull their changes, push --ops fix_error ops in one request and report their
status (POST /v1/sync/status, as the real client ends each sync). Errors are
counted by their error code. Afterwards the database is checked: every op the server applied is
stored exactly once with its effect (none lost, none doubled). By default the whole run is done on
PostgreSQL and then on SQLite (the baseline). Progress lines go to stderr; the last line on stdout
is one JSON object with both runs.

    python bench/server_load.py                                   # the figures of docs/deploy.md
    python bench/server_load.py --persons 100000 --cases 10000 --accounts 150   # a quicker look
    python bench/server_load.py --import-only --persons 0 --cases 100000 --accounts 150   # import speed
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Column, MetaData, String, Table, Text, func, insert, select  # noqa: E402

from client.domain.idnumber import id_check_char, make_id_number  # noqa: E402
from sync.client.auth import Auth  # noqa: E402
from sync.client.errors import SyncError  # noqa: E402
from sync.client.transport import RetryPolicy, Transport  # noqa: E402
from sync.server import schema as t  # noqa: E402
from sync.server.config import ServerConfig  # noqa: E402
from sync.server.feed_apply import apply_feeds, rows_by_key  # noqa: E402
from sync.server.feed_read import read_feed  # noqa: E402
from sync.server.security import hash_password  # noqa: E402
from sync.server.store import Store, dumps  # noqa: E402

PASSWORD = "bench-pw-1"


@functools.cache
def _villages() -> list[str]:
    """Real village codes of province 61 (the rules check places): one per township, then seconds."""
    from client.domain.divisions import division_tree, level_of
    by_town: dict[str, list[str]] = {}
    for code in sorted(c for c in division_tree()._by_code if c.startswith("61") and level_of(c) == 5):
        by_town.setdefault(code[:9], []).append(code)
    rounds = max(len(v) for v in by_town.values())
    return [v[r] for r in range(rounds) for v in by_town.values() if r < len(v)]


def township(i: int) -> str:
    """Account i's jurisdiction: a village of its own (12 digits), so every account gets cases."""
    return _villages()[i]


def gen_feed(path: Path, cases: int, accounts: int, seed: int, rename: int = 0) -> tuple[list, list]:
    """A full feed of error cases: a head with a broken check character and two household members.
    rename > 0: every rename-th case's head gets another name (the overnight incremental feed)."""
    rng = random.Random(seed)
    persons_rows, case_rows = [], []
    with open(path, "w", encoding="utf-8") as fh:
        mode = "incremental" if rename else "full"
        fh.write(json.dumps({"schema": "hecha.feed/1", "mode": mode, "kinds": ["error"]}) + "\n")
        for i in range(cases):
            if rename and i % rename:
                continue
            village = township(i % accounts)
            hid = f"BH{i}"
            born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
            head_id = make_id_number("610424", born, (i * 2 + 1) % 1000)
            broken = head_id[:17] + ("0" if head_id[17] != "0" else "1")
            base = {"household_id": hid, "ethnicity": "01", "hukou_type": "2", "hukou_place": village,
                    "residence_place": village, "marital_status": "20",
                    "first_marriage_date": (born + timedelta(days=365 * 26)).isoformat()}
            head = {**base, "person_id": f"BP{i}a", "name": "张建" + ("军" if rename else "国"), "sex": "1",
                    "birth_date": born.isoformat(), "id_number": broken, "relation": "02"}
            wife_born = born + timedelta(days=700)
            wife = {**base, "person_id": f"BP{i}b", "name": "李秀英", "sex": "2", "birth_date": wife_born.isoformat(),
                    "id_number": make_id_number("610424", wife_born, (i * 2) % 1000), "relation": "10"}
            child_born = born + timedelta(days=365 * 28)
            child = {**base, "person_id": f"BP{i}c", "name": "张小明", "sex": "1", "birth_date": child_born.isoformat(),
                     "id_number": make_id_number("610424", child_born, (i * 2 + 3) % 1000), "relation": "20",
                     "marital_status": "10", "first_marriage_date": None}
            child = {k: v for k, v in child.items() if v is not None}
            fh.write(json.dumps({"kind": "error", "external_id": f"ERR{i}", "person": head,
                                 "household": {"household_id": hid, "place": village, "members": [wife, child]}},
                                ensure_ascii=False) + "\n")
            persons_rows += [{"person_id": p["person_id"], "household_id": hid, "data": dumps(p)} for p in (head, wife, child)]
            case_rows.append({"case_id": f"E:ERR{i}", "data": dumps({"person": head})})
    return persons_rows, case_rows


def baseline_insert(store: Store, persons_rows: list, case_rows: list) -> dict:
    """The same person and case rows into bare tables: executemany (and COPY on PostgreSQL)."""
    md = MetaData()
    bp = Table("bench_persons", md, Column("person_id", String(64), primary_key=True), Column("household_id", String(64)),
               Column("data", Text))
    bc = Table("bench_cases", md, Column("case_id", String(64), primary_key=True), Column("data", Text))
    md.create_all(store.engine)
    out = {}
    started = time.perf_counter()
    with store.engine.begin() as conn:
        for rows, table in ((persons_rows, bp), (case_rows, bc)):
            for i in range(0, len(rows), 10000):
                conn.execute(insert(table), rows[i:i + 10000])
    out["executemany_s"] = round(time.perf_counter() - started, 2)
    if store.is_postgresql:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE bench_persons, bench_cases")
        started = time.perf_counter()
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            with cur.copy("COPY bench_persons (person_id, household_id, data) FROM STDIN") as cp:
                for r in persons_rows:
                    cp.write_row((r["person_id"], r["household_id"], r["data"]))
            with cur.copy("COPY bench_cases (case_id, data) FROM STDIN") as cp:
                for r in case_rows:
                    cp.write_row((r["case_id"], r["data"]))
            raw.commit()
        finally:
            raw.close()
        out["copy_s"] = round(time.perf_counter() - started, 2)
    md.drop_all(store.engine)
    return out


def setup(store: Store, args, tmp: Path) -> dict:
    figures: dict = {}
    started = time.perf_counter()
    # One hash for every account, at the server's real cost: each morning login verifies it (scrypt).
    pw = hash_password(PASSWORD)
    with store.write() as conn:
        conn.execute(insert(t.users), [{"username": f"xz{i:04d}", "password_hash": pw, "role": "township",
                                        "jurisdiction": township(i), "display_name": f"乡镇{i}", "epoch": 0,
                                        "active": True, "created_at": "2026-12-07T00:00:00.000000Z"}
                                       for i in range(args.accounts)])
    filler = max(0, args.persons - 3 * args.cases)
    with store.write() as conn:
        for start in range(0, filler, 20000):
            conn.execute(insert(t.persons), [{"person_id": f"FP{i}", "household_id": f"FH{i // 4}", "status": "active",
                                              "merged_into": None, "version": 1, "id_number": None,
                                              "mother_id_number": None, "birth_cert_number": None,
                                              "data": dumps({"person_id": f"FP{i}", "name": "王某"})}
                                             for i in range(start, min(filler, start + 20000))])
    figures["setup_accounts_filler_s"] = round(time.perf_counter() - started, 1)
    say({"phase": "accounts_and_filler", "seconds": figures["setup_accounts_filler_s"]})
    feed = tmp / "feed.jsonl"
    persons_rows, case_rows = gen_feed(feed, args.cases, args.accounts, args.seed)
    started = time.perf_counter()
    parsed = read_feed(feed)
    read_s = time.perf_counter() - started
    report = apply_feeds(store, [parsed])
    took = time.perf_counter() - started
    assert report.applied and report.added == args.cases, report.summary()
    base = baseline_insert(store, persons_rows, case_rows)
    started = time.perf_counter()
    again = apply_feeds(store, [read_feed(feed)])     # the same feed again: nothing changes
    again_s = time.perf_counter() - started
    assert again.applied and again.unchanged == args.cases and not (again.added or again.changed
                                                                    or again.persons_written), again.summary()
    figures["import"] = {"cases": args.cases, "persons": len(persons_rows), "seconds": round(took, 1),
                         "read_s": round(read_s, 1), "cases_per_s": round(args.cases / took), **base,
                         "executemany_cases_per_s": round(args.cases / base["executemany_s"]),
                         "same_feed_again_s": round(again_s, 1)}
    if "copy_s" in base:
        figures["import"]["copy_cases_per_s"] = round(args.cases / base["copy_s"])
    say({"phase": "import", **figures["import"]})
    with store.read() as conn:
        figures["persons_in_db"] = conn.execute(select(func.count()).select_from(t.persons)).scalar()
    return figures


def say(obj: dict) -> None:
    """A progress line (stderr): each phase's figures as soon as they are known."""
    print(json.dumps(obj, ensure_ascii=False), file=sys.stderr, flush=True)


def percentiles(xs: list[float]) -> dict:
    if not xs:
        return {}
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=100, method="inclusive") if len(xs) > 1 else [xs[0]] * 99
    return {"n": len(xs), "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1), "max_ms": round(xs[-1] * 1000, 1)}


class Client:
    """One township PC, through the real client's transport and token handling (sync/client): the
    password login as the app does at start, the access token refreshed before it expires (and once
    on a 401) with the refresh token, the foreground retry policy. Every failure is counted by its
    error code; retries are counted as the transport made them."""

    def __init__(self, url: str, username: str):
        self.username = username
        self.transport = Transport(url, device_id=f"bench-{username}", retry=RetryPolicy.foreground())
        self.auth = Auth(self.transport, username)
        self.cursor = ""
        self.records: dict[str, dict] = {}

    def _timed(self, kind: str, lat: dict, fn, *args, **kw):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kw)
        finally:
            lat.setdefault(kind, []).append(time.perf_counter() - t0)

    def login(self, lat: dict) -> None:
        self._timed("login", lat, self.auth.login, PASSWORD)

    def bootstrap(self) -> None:
        self.auth.login(PASSWORD)
        token = None
        while True:
            page = self.transport.get("/v1/sync/bootstrap", params={"page_token": token} if token else {}).data
            self.records.update({rec["id"]: rec for rec in page["records"]})
            token = page["next_page_token"]
            if token is None:
                self.cursor = page["cursor"]
                return

    def morning(self, ops_n: int, lat: dict, sent: list, start: str = "login") -> None:
        """start "login": the app started this morning (password login); "refresh": it stayed open
        overnight, its access token long expired (the refresh token gets a new one). Then pull the
        night's changes and push the morning's edits."""
        started = time.perf_counter()
        if start == "login":
            self.login(lat)
        else:
            self.auth.expire_access_token()
        has_more = True
        while has_more:
            page = self._timed("changes", lat, self.transport.get, "/v1/sync/changes",
                               params={"cursor": self.cursor}).data
            for ch in page["changes"]:
                if ch.get("removed"):
                    self.records.pop(ch["id"], None)
                else:
                    self.records[ch["id"]] = ch
            self.cursor, has_more = page["next_cursor"], page["has_more"]
        ops, effects = [], []
        for cid in sorted(self.records)[:ops_n]:
            rec = self.records[cid]
            person = rec["data"]["person"]
            idn = person["id_number"]
            fixed = idn[:17] + id_check_char(idn[:17])
            ops.append({"op_id": str(uuid.uuid4()), "record_id": cid, "action": "fix_error",
                        "base_version": rec["version"], "client_edited_at": "2026-12-08T08:00:00+08:00",
                        "changes": {"id_number": {"from": idn, "to": fixed}},
                        # the worker explains the warnings the record shows (as the client asks them to)
                        "payload": {"note": "按户口簿更正", "overrides": {
                            f["code"]: "已入户核实" for f in rec["data"]["findings"] if f["severity"] == "W"}}})
            effects.append((person["person_id"], fixed))
        results = self._timed("push", lat, self.transport.post, "/v1/sync/push",
                              {"device_id": self.transport.device_id, "client_version": "9.9.9", "ops": ops}).data
        for op, (pid, fixed), res in zip(ops, effects, results["results"]):
            sent.append({"op_id": op["op_id"], "record_id": op["record_id"], "person_id": pid, "to": fixed,
                         "status": res["status"]})
        # the end of every sync of the real client (Workspace.report_sync_status): nothing left unsent
        self._timed("status", lat, self.transport.post, "/v1/sync/status",
                    {"device_id": self.transport.device_id, "pending": {}})
        lat.setdefault("sync", []).append(time.perf_counter() - started)


def run_server(db_url: str, workers: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "client", "server", "--db", db_url, "--port", "0",
                             "--workers", str(workers)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    for line in proc.stdout:
        if "http://" in line:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, line.split("：", 1)[1].split()[0]
    raise RuntimeError("server did not start")


def measure(args, db_url: str, store: Store, tmp: Path) -> dict:
    proc, url = run_server(db_url, args.workers)
    try:
        clients = [Client(url, f"xz{i:04d}") for i in range(args.accounts)]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(Client.bootstrap, clients))
        boot_s = time.perf_counter() - started
        say({"phase": "bootstrap", "accounts": len(clients), "seconds": round(boot_s, 1)})
        # overnight: the platform's incremental feed changes every Nth case (another name)
        inc = tmp / "overnight.jsonl"
        gen_feed(inc, args.cases, args.accounts, args.seed, rename=args.overnight_every)
        started = time.perf_counter()
        report = apply_feeds(store, [read_feed(inc)])
        overnight_s = time.perf_counter() - started
        assert report.applied, report.summary()
        say({"phase": "overnight_feed", "changed": report.changed, "seconds": round(overnight_s, 1)})
        lat: dict[str, list[float]] = {"login": [], "changes": [], "push": [], "status": [], "sync": []}
        errors: dict[str, int] = {}
        samples: list = []
        sent: list = []
        started = time.perf_counter()
        lock = threading.Lock()

        def one(c: Client) -> None:
            try:
                c.morning(args.ops, lat, sent, args.start)
            except SyncError as exc:
                with lock:
                    errors[exc.code] = errors.get(exc.code, 0) + 1
                    if len(samples) < 5:
                        samples.append({"user": c.username, "code": exc.code, "status": exc.status,
                                        "detail": str(exc)[:200]})
            with lock:
                done = len(lat["sync"]) + sum(errors.values())
                if done % 100 == 0:     # partial figures, in case the run is cut short
                    took = time.perf_counter() - started
                    say({"phase": "morning_progress", "syncs_done": done, "seconds": round(took, 1),
                         "ops_per_s": round(len(sent) / took, 1), "errors": errors,
                         "push": percentiles(lat["push"]), "login": percentiles(lat["login"])})

        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, clients))
        morning_s = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(60)
    check = check_database(store, sent)
    say({"phase": "database_check", **check})
    statuses: dict[str, int] = {}
    for op in sent:
        statuses[op["status"]] = statuses.get(op["status"], 0) + 1
    push_p95 = percentiles(lat["push"]).get("p95_ms", 1e9)
    return {"bootstrap_all_s": round(boot_s, 1), "overnight_feed": {"changed": report.changed,
                                                                   "seconds": round(overnight_s, 1)},
            "morning_s": round(morning_s, 1), "syncs_done": len(lat["sync"]), "ops": len(sent),
            "ops_per_s": round(len(sent) / morning_s, 1), "op_statuses": statuses,
            "errors": errors, "error_samples": samples,
            "token_refreshes": sum(c.auth.refresh_count for c in clients),
            "retries": sum(c.transport.stats.retries for c in clients),
            "database_check": check, "latency": {k: percentiles(v) for k, v in lat.items()},
            "targets": {"morning_within_5_min": morning_s <= 300 and len(lat["sync"]) == len(clients),
                        "p95_push_under_2s": push_p95 < 2000, "no_errors": not errors,
                        "none_lost_or_doubled": check["lost"] == 0 and check["doubled"] == 0
                        and check["wrong_effect"] == 0}}


def check_database(store: Store, sent: list[dict]) -> dict:
    """After the run, in the database: every op the server answered applied is stored once (its
    op_results row, exactly one history version with its op_id) and its effect is there (the person's
    ID number is the corrected one); no op the server refused left a version behind."""
    op_ids = [op["op_id"] for op in sent]
    results: dict[str, str] = {}
    versions: dict[str, int] = {}
    with store.read() as conn:
        for r in rows_by_key(conn, select(t.op_results.c.op_id, t.op_results.c.status), t.op_results.c.op_id, op_ids):
            results[r.op_id] = r.status
        for r in rows_by_key(conn, select(t.history.c.op_id, func.count().label("n")).group_by(t.history.c.op_id),
                             t.history.c.op_id, op_ids):
            versions[r.op_id] = r.n
        pids = sorted({op["person_id"] for op in sent})
        id_numbers = {r.person_id: r.id_number for r in rows_by_key(
            conn, select(t.persons.c.person_id, t.persons.c.id_number), t.persons.c.person_id, pids)}
    applied = [op for op in sent if op["status"] in ("applied", "applied_with_merge")]
    lost = sum(1 for op in applied if op["op_id"] not in results or versions.get(op["op_id"], 0) == 0)
    doubled = sum(1 for n in versions.values() if n > 1)
    wrong_effect = sum(1 for op in applied if id_numbers.get(op["person_id"]) != op["to"])
    applied_ids = {op["op_id"] for op in applied}
    refused_left = sum(1 for op in sent if op["op_id"] not in applied_ids and versions.get(op["op_id"], 0))
    return {"ops_sent": len(sent), "applied": len(applied), "stored": sum(1 for op in applied if op["op_id"] in results),
            "lost": lost, "doubled": doubled, "wrong_effect": wrong_effect, "refused_but_written": refused_left}


def run_one(db: str, args) -> dict:
    """Setup and (unless --import-only) the morning on one database; the figures as one dict."""
    tmp = Path(tempfile.mkdtemp(prefix="hecha-load-"))
    cluster = None
    if db == "postgresql":
        from tests.support.pg import PgCluster
        cluster = PgCluster(settings={"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on",
                                      "shared_buffers": "1GB"}).start()
        db_url = cluster.new_database("load")
    else:
        db_url = f"sqlite:///{tmp / 'load.db'}"
    try:
        store = Store(ServerConfig(db_url=db_url))
        out = setup(store, args, tmp)
        if not args.import_only:
            out.update(measure(args, db_url, store, tmp))
        store.close()
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    say({"phase": "done", "db": db})
    return out


def summary(run: dict) -> dict:
    """The headline figures of one database's run."""
    imp = run["import"]
    out = {"import_cases_per_s": imp["cases_per_s"], "executemany_cases_per_s": imp["executemany_cases_per_s"],
           "copy_cases_per_s": imp.get("copy_cases_per_s")}
    if "morning_s" in run:
        lat = run["latency"]
        out.update({"morning_s": run["morning_s"], "ops_per_s": run["ops_per_s"],
                    "push_p95_ms": lat["push"].get("p95_ms"), "changes_p95_ms": lat["changes"].get("p95_ms"),
                    "login_p95_ms": lat["login"].get("p95_ms"), "errors": run["errors"],
                    "lost": run["database_check"]["lost"], "doubled": run["database_check"]["doubled"],
                    "targets_met": run["targets"]})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("both", "postgresql", "sqlite"), default="both",
                    help="both (default): PostgreSQL, then the same run on SQLite as the baseline")
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--accounts", type=int, default=1500)
    ap.add_argument("--ops", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--overnight-every", type=int, default=100,
                    help="the overnight incremental feed changes every Nth case (default 1%%)")
    ap.add_argument("--start", choices=("login", "refresh"), default="login",
                    help="login (default): each app starts in the morning with the password; refresh: the apps "
                         "stayed open overnight and refresh their expired access token")
    ap.add_argument("--import-only", action="store_true",
                    help="only the setup: the feed import against the bare executemany/COPY baseline")
    args = ap.parse_args()
    # The server (a subprocess) signs tokens with this key; nothing is kept in a real keyring.
    os.environ.setdefault("HECHA_SERVER_SECRET", secrets.token_urlsafe(32))
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    out: dict = {"bench": "server_load", "persons": args.persons, "cases": args.cases, "accounts": args.accounts,
                 "ops_per_account": args.ops, "concurrency": args.concurrency, "workers": args.workers,
                 "start": args.start, "import_only": args.import_only}
    for db in (("postgresql", "sqlite") if args.db == "both" else (args.db,)):
        out[db] = run_one(db, args)
    out["summary"] = {db: summary(out[db]) for db in ("postgresql", "sqlite") if db in out}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
