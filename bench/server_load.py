"""Province scale: 1,000,000 persons, 100,000 open cases, 1,500 township accounts, the morning sync.

Setup (timed, reported): a fresh database (a throw-away PostgreSQL cluster, or a SQLite file), the
accounts, filler persons up to --persons, then the cases arrive as a --cases-case feed through
`hecha server import`'s code (cases/s, next to a same-run bare executemany — and COPY on PostgreSQL —
of the same person and case rows). Every account bootstraps (not timed). Overnight an incremental feed
changes 1% of the cases. Then the measured morning: `hecha server --workers W` as a process, and all
accounts, at most --concurrency at a time, pull their changes and push --ops fix_error ops in one
request. Afterwards the database is checked: every op applied exactly once (none lost, none doubled).
The last line is one JSON object.

    python bench/server_load.py --db postgresql            # the figures of docs/deploy.md
    python bench/server_load.py --db sqlite                # the baseline
    python bench/server_load.py --persons 20000 --cases 3000 --accounts 60   # a quick look
"""

from __future__ import annotations

import argparse
import functools
import json
import random
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

import requests  # noqa: E402
from sqlalchemy import Column, MetaData, String, Table, Text, func, insert, select  # noqa: E402

from client.domain.idnumber import id_check_char, make_id_number  # noqa: E402
from sync.server import schema as t  # noqa: E402
from sync.server.config import ServerConfig  # noqa: E402
from sync.server.feed_apply import apply_feeds  # noqa: E402
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
    pw = hash_password(PASSWORD, 2 ** 10)   # one hash for every account: setup time, not the login cost
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
    report = apply_feeds(store, [read_feed(feed)])
    took = time.perf_counter() - started
    assert report.applied and report.added == args.cases, report.summary()
    base = baseline_insert(store, persons_rows, case_rows)
    figures["import"] = {"cases": args.cases, "persons": len(persons_rows), "seconds": round(took, 1),
                         "cases_per_s": round(args.cases / took), **base,
                         "executemany_cases_per_s": round(args.cases / base["executemany_s"])}
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
    def __init__(self, url: str, username: str):
        self.url, self.username = url, username
        self.session = requests.Session()
        self.device = f"bench-{username}"
        self.cursor = ""
        self.records: dict[str, dict] = {}

    def login_and_bootstrap(self) -> None:
        r = self.session.post(self.url + "/v1/auth/token", json={"username": self.username, "password": PASSWORD,
                                                                 "device_id": self.device}, timeout=600)
        r.raise_for_status()
        self.session.headers["Authorization"] = "Bearer " + r.json()["access_token"]
        token = None
        while True:
            r = self.session.get(self.url + "/v1/sync/bootstrap", params={"page_token": token} if token else {},
                                 timeout=600)
            r.raise_for_status()
            page = r.json()
            self.records.update({rec["id"]: rec for rec in page["records"]})
            token = page["next_page_token"]
            if token is None:
                self.cursor = page["cursor"]
                return

    def morning(self, ops_n: int, lat: dict, errors: list, sent: list) -> None:
        started = time.perf_counter()
        has_more = True
        while has_more:
            t0 = time.perf_counter()
            r = self.session.get(self.url + "/v1/sync/changes", params={"cursor": self.cursor}, timeout=600)
            lat["changes"].append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors.append(("changes", r.status_code, r.text[:200]))
                return
            page = r.json()
            for ch in page["changes"]:
                if ch.get("removed"):
                    self.records.pop(ch["id"], None)
                else:
                    self.records[ch["id"]] = ch
            self.cursor, has_more = page["next_cursor"], page["has_more"]
        ops = []
        for cid in sorted(self.records)[:ops_n]:
            rec = self.records[cid]
            idn = rec["data"]["person"]["id_number"]
            ops.append({"op_id": str(uuid.uuid4()), "record_id": cid, "action": "fix_error",
                        "base_version": rec["version"], "client_edited_at": "2026-12-08T08:00:00+08:00",
                        "changes": {"id_number": {"from": idn, "to": idn[:17] + id_check_char(idn[:17])}},
                        # the worker explains the warnings the record shows (as the client asks them to)
                        "payload": {"note": "按户口簿更正", "overrides": {
                            f["code"]: "已入户核实" for f in rec["data"]["findings"] if f["severity"] == "W"}}})
        t0 = time.perf_counter()
        r = self.session.post(self.url + "/v1/sync/push", json={"device_id": self.device, "client_version": "9.9.9",
                                                                "ops": ops}, timeout=600)
        lat["push"].append(time.perf_counter() - t0)
        if r.status_code != 200:
            errors.append(("push", r.status_code, r.text[:200]))
            return
        for op, res in zip(ops, r.json()["results"]):
            sent.append((op["op_id"], op["record_id"], res["status"]))
        lat["sync"].append(time.perf_counter() - started)


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
            list(pool.map(Client.login_and_bootstrap, clients))
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
        lat: dict[str, list[float]] = {"changes": [], "push": [], "sync": []}
        errors: list = []
        sent: list = []
        started = time.perf_counter()
        lock = threading.Lock()

        def one(c: Client) -> None:
            c.morning(args.ops, lat, errors, sent)
            with lock:
                done = len(lat["sync"])
                if done % 100 == 0:     # partial figures, in case the run is cut short
                    took = time.perf_counter() - started
                    say({"phase": "morning_progress", "syncs_done": done, "seconds": round(took, 1),
                         "ops_per_s": round(len(sent) / took, 1), "errors": len(errors),
                         "push": percentiles(lat["push"]), "changes": percentiles(lat["changes"])})

        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(one, clients))
        morning_s = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(60)
    op_ids = [s[0] for s in sent]
    with store.read() as conn:
        stored = {}
        for i in range(0, len(op_ids), 900):
            for r in conn.execute(select(t.op_results.c.op_id, t.op_results.c.status).where(
                    t.op_results.c.op_id.in_(op_ids[i:i + 900]))):
                stored[r.op_id] = r.status
        applied_rows = {}
        for i in range(0, len(op_ids), 900):
            for r in conn.execute(select(t.history.c.op_id, func.count()).where(
                    t.history.c.op_id.in_(op_ids[i:i + 900]), t.history.c.action == "fix_error",
                    t.history.c.status == "completed").group_by(t.history.c.op_id)):
                applied_rows[r[0]] = r[1]
    statuses: dict[str, int] = {}
    for _, _, st in sent:
        statuses[st] = statuses.get(st, 0) + 1
    lost = sum(1 for op_id, _, st in sent if st in ("applied", "applied_with_merge") and
               (stored.get(op_id) is None or applied_rows.get(op_id, 0) == 0))
    doubled = sum(1 for n in applied_rows.values() if n > 1)
    ops_total = len(sent)
    return {"bootstrap_all_s": round(boot_s, 1), "overnight_feed": {"changed": report.changed,
                                                                   "seconds": round(overnight_s, 1)},
            "morning_s": round(morning_s, 1), "ops": ops_total, "ops_per_s": round(ops_total / morning_s, 1),
            "op_statuses": statuses, "errors": len(errors), "error_samples": errors[:3],
            "lost": lost, "doubled": doubled, "latency": {k: percentiles(v) for k, v in lat.items()},
            "targets": {"morning_within_5_min": morning_s <= 300,
                        "p95_push_under_2s": percentiles(lat["push"]).get("p95_ms", 1e9) < 2000,
                        "no_errors": not errors, "none_lost_or_doubled": lost == 0 and doubled == 0}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--accounts", type=int, default=1500)
    ap.add_argument("--ops", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--overnight-every", type=int, default=100,
                    help="the overnight incremental feed changes every Nth case (default 1%%)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hecha-load-"))
    cluster = None
    if args.db == "postgresql":
        from tests.support.pg import PgCluster
        cluster = PgCluster(settings={"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on",
                                      "shared_buffers": "1GB"}).start()
        db_url = cluster.new_database("load")
    else:
        db_url = f"sqlite:///{tmp / 'load.db'}"
    try:
        store = Store(ServerConfig(db_url=db_url))
        out = {"bench": "server_load", "db": args.db, "persons": args.persons, "cases": args.cases,
               "accounts": args.accounts, "ops_per_account": args.ops, "concurrency": args.concurrency,
               "workers": args.workers}
        out.update(setup(store, args, tmp))
        out.update(measure(args, db_url, store, tmp))
        store.close()
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
