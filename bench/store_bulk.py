"""Bulk upsert of 100,000 cases into the encrypted store vs raw sqlite3 executemany, plus worklist queries.

    python bench/store_bulk.py [--cases 100000] [--page 1000] [--dir DIR]

Prints figures with a same-run baseline and one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's code, not an installed one

from client.domain.idnumber import make_id_number  # noqa: E402
from client.store import Case, new_key, open_store, search_columns, text_filter, upsert_shadows
from client.store import search as search_module
from client.store.database import json_dumps
from client.store.models import Base, cases_table

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
            "郝龚邵万钱严覃武戴莫孔向汤单解仇朴查")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉梅红文斌志鹏飞宇浩然子涵欣怡"
         "佳琪雨萱梓轩博文晨阳思远诗雨嘉怡一诺俊杰天佑宏伟晓东小龙春燕秋菊冬梅海燕丹凤翠花长")
VILLAGES = [f"610424{t:03d}{v:03d}" for t in (1, 2, 100, 101, 102, 103, 200, 201, 202) for v in range(1, 25)]
RULES = ["ID_CHECKSUM", "NAME_CHARS", "BIRTH_AFTER_ID", "MARITAL_AGE", "HUKOU_PLACE_UNKNOWN", "ETHNICITY_CODE"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _person(rng: random.Random, n: int, place: str, born: date) -> dict:
    sex = rng.choice("12")
    return {
        "person_id": f"P-{n}", "household_id": f"H-{n // 4}", "relation": rng.choice(["01", "10", "20", "30"]),
        "name": _name(rng), "sex": sex, "birth_date": born.isoformat(), "ethnicity": "01",
        "id_type": "01", "id_number": make_id_number("610424", born, rng.randrange(0, 500) * 2 + (sex == "1")),
        "nationality": "CHN", "hukou_type": rng.choice(["1", "2"]), "hukou_place": place,
        "hukou_address": f"陕西省咸阳市乾县{rng.randint(1, 30)}组{rng.randint(1, 99)}号",
        "residence_place": place, "marital_status": rng.choice(["10", "20", "21", "30"]),
        "education": rng.choice(["10", "20", "30", "60", "70", "90"]),
    }


def make_records(count: int, seed: int = 7) -> list[dict]:
    """Realistic case records of about 1 KB each: mostly error cases, some births and duplicates."""
    rng = random.Random(seed)
    records = []
    for i in range(count):
        place = rng.choice(VILLAGES)
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 30000))
        roll = i % 10
        if roll < 7:
            person = _person(rng, i * 4, place, born)
            data = {"person": person, "household": [_person(rng, i * 4 + 1, place, born)],
                    "findings": [{"code": rng.choice(RULES), "severity": rng.choice("EW"), "fields": ["id_number"],
                                  "params": {"value": person["id_number"]}, "message": "公民身份号码校验位不正确"}],
                    "status": "open"}
            kind, prefix = "error", "E"
        elif roll < 9:
            mother = _person(rng, i * 4, place, date(1990, 1, 1) + timedelta(days=rng.randrange(0, 4000)))
            child = {"name": _name(rng), "sex": rng.choice("12"), "birth_date": "2026-10-01",
                     "ethnicity": "01", "hukou_place": place, "relation": "20"}
            data = {"certificate": {"cert_number": f"S61{i:08d}", "name": child["name"], "sex": child["sex"],
                                    "birth_date": "2026-10-01", "mother_name": mother["name"],
                                    "mother_id_number": mother["id_number"], "hospital": "乾县人民医院"},
                    "proposed": child, "mother": mother, "father": None,
                    "households": [{"household_id": mother["household_id"], "place": place,
                                    "address": mother["hukou_address"], "members": []}],
                    "matches": [], "status": "open"}
            kind, prefix = "birth", "B"
        else:
            first = _person(rng, i * 4, place, born)
            second = dict(first, person_id=f"P-{i * 4 + 1}", hukou_address=first["hukou_address"] + "附")
            data = {"members": [first, second], "reasons": [{"code": "SAME_ID", "fields": ["id_number"],
                                                              "params": {}, "message": "身份号码相同"}],
                    "status": "open"}
            kind, prefix = "duplicates", "D"
        records.append({"type": kind, "id": f"{prefix}-{i}", "version": rng.randint(1, 5), "data": data})
    return records


def _clear_caches() -> None:
    search_module._name_keys.cache_clear()  # the store's per-name cache starts cold each run


def bench_store(path: Path, records: list[dict], page: int) -> float:
    """Seconds for upsert_shadows of all records into a new encrypted store, `page` per transaction."""
    _clear_caches()
    store = open_store(path, new_key())
    start = time.perf_counter()
    for offset in range(0, len(records), page):
        with store.write() as session:
            result = upsert_shadows(session, records[offset:offset + page])
            assert len(result.moved) == len(records[offset:offset + page])
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def _raw_rows(records: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """The rows the store writes, built by hand: JSON text and the same search columns."""
    now = "2026-11-29T00:00:00.000+00:00"
    case_rows, initials_rows = [], []
    for r in records:
        cols = search_columns(r["type"], r["data"])
        case_rows.append((r["id"], r["type"], r["version"], json_dumps(r["data"]), None, "open", None, now,
                          cols.name_norm, cols.id_number, cols.place))
        initials_rows.append([(i, r["id"]) for i in cols.initials])
    return case_rows, initials_rows


def bench_raw(path: Path, records: list[dict], wal: bool = False, page: int = 0) -> tuple[float, float]:
    """Same tables, indexes and rows through stdlib sqlite3 on a plain file, one transaction.

    Returns (total, executemany only): total also builds the rows from the records (JSON text
    and search columns, cold store cache) as any hand-written loader has to. `wal`: the
    store's durability settings (WAL, synchronous=FULL) instead of sqlite3's defaults.
    `page`: commit every `page` records instead of once.
    """
    _clear_caches()
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    Base.metadata.create_all(create_engine("sqlite://", creator=lambda: conn))
    start = time.perf_counter()
    case_rows, initials_rows = _raw_rows(records)
    built = time.perf_counter()
    page = page or len(case_rows)
    for offset in range(0, len(case_rows), page):
        with conn:
            conn.executemany("INSERT INTO cases (id, kind, shadow_version, shadow_data, overlay, local_state,"
                             " removed, updated_at, name_norm, id_number, place) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                             case_rows[offset:offset + page])
            conn.executemany("INSERT INTO case_initials (initials, case_id) VALUES (?, ?)",
                             (row for rows in initials_rows[offset:offset + page] for row in rows))
    end = time.perf_counter()
    conn.close()
    return end - start, end - built


def bench_queries(path: Path, key: bytes, records: list[dict]) -> dict:
    store = open_store(path, key)
    with store.write() as session:
        upsert_shadows(session, records)
    sample = records[len(records) // 2]["data"]
    person = sample.get("person") or sample.get("mother") or sample["members"][0]
    queries = {"pinyin_letter": "z", "pinyin_3": "wxm", "id_prefix": person["id_number"][:10],
               "id_tail": person["id_number"][-4:], "name_substring": person["name"][1:],
               "place_prefix": "610424100", "none": ""}
    figures = {}
    for label, text in queries.items():
        stmt = select(cases_table.c.id).where(text_filter(text)).order_by(cases_table.c.id)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            with store.read() as session:
                ids = session.execute(stmt).scalars().all()
            times.append(time.perf_counter() - start)
        figures[label] = {"text": text, "rows": len(ids), "ms": round(statistics.median(times) * 1000, 1)}
    # An incremental pull page on the full store: 1,000 newer versions, then the same page replayed.
    page = [dict(r, version=r["version"] + 1) for r in records[::max(1, len(records) // 1000)][:1000]]
    for label in ("pull_page_1000_updates", "pull_page_1000_replayed"):
        start = time.perf_counter()
        with store.write() as session:
            result = upsert_shadows(session, page)
        elapsed = time.perf_counter() - start
        rows = len(result.moved) if label.endswith("updates") else len(result.refused)
        figures[label] = {"text": "", "rows": rows, "ms": round(elapsed * 1000, 1)}
    with store.read() as session:
        total = session.execute(select(func.count()).select_from(Case)).scalar_one()
    store.close()
    figures["cases"] = total
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=1000, help="records per transaction in the paged run")
    parser.add_argument("--repeat", type=int, default=3,
                        help="alternating runs of each side; the best counts (the machine is shared)")
    parser.add_argument("--dir", type=Path, default=None, help="where the files go (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        records = make_records(args.cases)
        # The app never holds 100,000 parsed cases at once: keep the collector from walking
        # these millions of objects during the timed parts (it made single runs 10x slower).
        gc.freeze()
        generated = time.perf_counter() - start
        size = sum(len(json_dumps(r["data"]).encode()) for r in records[:2000]) / min(2000, len(records))
        print(f"{len(records)} cases generated in {generated:.1f} s, {size:.0f} bytes of JSON each")

        # Warm-up: imports (pypinyin loads its dictionaries on first use) and first-call costs.
        bench_store(tmp / "warm.db", records[:1000], 1000)
        store_runs, raw_runs, wal_runs, cpu = [], [], [], {"store": [], "raw": []}
        for n in range(args.repeat):
            c0 = time.process_time()
            store_runs.append(bench_store(tmp / f"store{n}.db", records, len(records)))
            c1 = time.process_time()
            raw_runs.append(bench_raw(tmp / f"raw{n}.db", records))
            c2 = time.process_time()
            wal_runs.append(bench_raw(tmp / f"rawwal{n}.db", records, wal=True))
            cpu["store"].append(c1 - c0)
            cpu["raw"].append(c2 - c1)
            print(f"run {n + 1}: store {store_runs[-1]:.2f} s (cpu {c1 - c0:.2f}), raw {raw_runs[-1][0]:.2f} s "
                  f"(cpu {c2 - c1:.2f}; executemany {raw_runs[-1][1]:.2f} s), raw WAL+FULL {wal_runs[-1][0]:.2f} s")
            sizes = {"store": (tmp / f"store{n}.db").stat().st_size, "raw": (tmp / f"raw{n}.db").stat().st_size}
            for leftover in tmp.glob(f"*{n}.db*"):
                leftover.unlink()
        store_one = min(store_runs)
        raw_total = min(r[0] for r in raw_runs)
        raw_insert = min(r[1] for r in raw_runs)
        wal_total = min(r[0] for r in wal_runs)
        store_paged = bench_store(tmp / "paged.db", records, args.page)
        raw_paged = bench_raw(tmp / "rawpaged.db", records, page=args.page)[0]
        ratio = store_one / raw_total
        print(f"encrypted store (SQLCipher, WAL, synchronous=FULL), upsert_shadows, one transaction: {store_one:.2f} s")
        print(f"raw sqlite3 on a plain file, rows built from the records + executemany, one transaction: "
              f"{raw_total:.2f} s (executemany alone {raw_insert:.2f} s)")
        print(f"ratio store/raw: {ratio:.2f}x (target <= 2x); against executemany alone {store_one / raw_insert:.2f}x; "
              f"cpu {min(cpu['store']) / min(cpu['raw']):.2f}x")
        print(f"raw sqlite3 with the store's WAL + synchronous=FULL: {wal_total:.2f} s "
              f"(store/raw-WAL {store_one / wal_total:.2f}x: what encryption and the store code add)")
        print(f"pages of {args.page} records, one transaction each: store {store_paged:.2f} s, "
              f"raw {raw_paged:.2f} s ({store_paged / raw_paged:.2f}x)")

        queries = bench_queries(tmp / "query.db", new_key(), records)
        for label, q in queries.items():
            if isinstance(q, dict):
                print(f"{label:30s} {q['text']!r:22s} {q['rows']:6d} rows {q['ms']:7.1f} ms")
    result = {
        "bench": "store_bulk", "cases": len(records), "json_bytes_per_case": round(size), "repeat": args.repeat,
        "store_one_txn_s": round(store_one, 3), "raw_s": round(raw_total, 3),
        "raw_executemany_only_s": round(raw_insert, 3), "ratio": round(ratio, 2),
        "ratio_vs_executemany_only": round(store_one / raw_insert, 2), "target_ratio": 2.0,
        "met": ratio <= 2.0, "raw_wal_full_s": round(wal_total, 3),
        "ratio_vs_raw_wal_full": round(store_one / wal_total, 2),
        "cpu_store_s": round(min(cpu["store"]), 3), "cpu_raw_s": round(min(cpu["raw"]), 3),
        "store_paged_s": round(store_paged, 3), "raw_paged_s": round(raw_paged, 3),
        "ratio_paged": round(store_paged / raw_paged, 2), "page": args.page,
        "store_runs_s": [round(t, 3) for t in store_runs], "raw_runs_s": [round(r[0], 3) for r in raw_runs],
        "file_bytes": sizes,
        "queries_ms": {k: v["ms"] for k, v in queries.items() if isinstance(v, dict)},
        "query_rows": {k: v["rows"] for k, v in queries.items() if isinstance(v, dict)},
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
