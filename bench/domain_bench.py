"""Costs of the domain helpers, each against a same-run baseline.

- division tree: cold load in a fresh interpreter vs reading the same CSV rows with csv.reader;
  search (indexed) vs a linear substring scan over all names;
- check_id_number per call vs the bare GB 11643 checksum over the same strings;
- pinyin_initials per name (cold and cached) vs pypinyin.lazy_pinyin (first letters) and vs plain
  str ops; name_similarity per pair vs rapidfuzz.fuzz.ratio.
Usage: python bench/domain_bench.py   (prints figures, then one JSON object on the last line)
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌晓长乐单翟曾"
QUERIES = ["城关", "乾县 城关", "村委会", "东莞", "街道", "薛录", "梁村", "新村", "社区", "阳"]


def fresh(code: str, repeat: int = 3) -> float:
    """Median seconds reported by `code` (which prints one float) in fresh interpreters."""
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def timed(fn, n: int) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) / n


def main() -> None:
    rng = random.Random(7)
    res: dict[str, float] = {}

    # --- division tree -------------------------------------------------------------------------
    res["tree_load_s"] = fresh(
        "import time; t=time.perf_counter()\n"
        "from client.domain.divisions import division_tree; division_tree()\n"
        "print(time.perf_counter()-t)")
    res["tree_first_search_s"] = fresh(
        "from client.domain.divisions import division_tree; tree = division_tree()\n"
        "import time; t=time.perf_counter(); tree.search('城关')\n"
        "print(time.perf_counter()-t)")
    res["tree_load_baseline_csv_s"] = fresh(
        "import time, csv; t=time.perf_counter()\n"
        "import resources\n"
        "for n in ('divisions_cn_l4.csv', 'divisions_61_l5.csv'):\n"
        "    rows = list(csv.reader(resources.path('data', 'divisions', n).open(encoding='utf-8', newline='')))\n"
        "print(time.perf_counter()-t)")
    from client.domain.divisions import division_tree

    tree = division_tree()
    everything = [tree.get(c) for c in tree._by_code]  # noqa: SLF001 (baseline needs every node)
    reps = 20
    res["search_ms"] = 1000 * timed(lambda: [tree.search(q) for _ in range(reps) for q in QUERIES],
                                    reps * len(QUERIES))
    res["search_baseline_linear_scan_ms"] = 1000 * timed(
        lambda: [[d for d in everything if q.split()[-1] in d.name][:20] for _ in range(reps) for q in QUERIES],
        reps * len(QUERIES))
    res["tree_nodes"] = len(tree)

    # --- ID numbers ----------------------------------------------------------------------------
    from client.domain.idnumber import check_id_number, make_id_number

    regions = ["610424", "110105", "440524", "360426", "650102"]
    ids = [make_id_number(rng.choice(regions), date(1930, 1, 1) + timedelta(days=rng.randrange(34000)),
                          rng.randrange(1000)) for _ in range(20000)]
    ids += [i[:10] + str((int(i[10]) + 1) % 10) + i[11:] for i in ids[:5000]]  # some bad check chars
    check_id_number(ids[0])
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    res["check_id_us"] = 1e6 * timed(lambda: [check_id_number(i) for i in ids], len(ids))
    res["check_id_baseline_checksum_us"] = 1e6 * timed(
        lambda: ["10X98765432"[sum(int(d) * w for d, w in zip(i[:17], weights)) % 11] == i[17] for i in ids],
        len(ids))

    # --- names ---------------------------------------------------------------------------------
    res["names_import_s"] = fresh(
        "import time; t=time.perf_counter()\n"
        "from client.domain import names; names.pinyin_initials('王'); names.has_traditional('國')\n"
        "print(time.perf_counter()-t)")
    from pypinyin import Style, lazy_pinyin
    from rapidfuzz import fuzz

    from client.domain.names import SURNAME_FREQUENCIES, name_similarity, pinyin_initials

    surnames, weights_s = list(SURNAME_FREQUENCIES), list(SURNAME_FREQUENCIES.values())
    people = [rng.choices(surnames, weights_s)[0] + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
              for _ in range(20000)]
    res["pinyin_initials_cold_us"] = 1e6 * timed(lambda: [pinyin_initials(p) for p in people[:2000]], 2000)
    res["pinyin_initials_us"] = 1e6 * timed(lambda: [pinyin_initials(p) for p in people], len(people))
    res["pinyin_baseline_lazy_pinyin_us"] = 1e6 * timed(
        lambda: ["".join(lazy_pinyin(p, style=Style.FIRST_LETTER)) for p in people], len(people))
    res["pinyin_baseline_str_ops_us"] = 1e6 * timed(
        lambda: ["".join(p.split()).replace("·", "").lower() for p in people], len(people))
    pairs = list(zip(people[::2], people[1::2]))
    res["name_similarity_us"] = 1e6 * timed(lambda: [name_similarity(a, b) for a, b in pairs], len(pairs))
    res["name_similarity_baseline_rapidfuzz_us"] = 1e6 * timed(
        lambda: [fuzz.ratio(a, b) for a, b in pairs], len(pairs))

    res = {k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()}
    print(f"division tree: {res['tree_nodes']} nodes, cold load {res['tree_load_s']:.3f} s "
          f"(reading the CSV rows alone: {res['tree_load_baseline_csv_s']:.3f} s); "
          f"first search builds the index: {res['tree_first_search_s']:.3f} s")
    print(f"division search: {res['search_ms']:.3f} ms/query (linear scan: {res['search_baseline_linear_scan_ms']:.3f} ms)")
    print(f"check_id_number: {res['check_id_us']:.2f} us/call (bare checksum: {res['check_id_baseline_checksum_us']:.2f} us)")
    print(f"names import + first use: {res['names_import_s']:.3f} s")
    print(f"pinyin_initials: {res['pinyin_initials_us']:.2f} us/name cached, {res['pinyin_initials_cold_us']:.2f} cold "
          f"(lazy_pinyin first letters: {res['pinyin_baseline_lazy_pinyin_us']:.2f} us, "
          f"plain str ops: {res['pinyin_baseline_str_ops_us']:.2f} us)")
    print(f"name_similarity: {res['name_similarity_us']:.2f} us/pair (rapidfuzz ratio: "
          f"{res['name_similarity_baseline_rapidfuzz_us']:.2f} us)")
    print(json.dumps(res, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    csv.field_size_limit(1 << 20)
    main()
