"""An independent consumer of `hecha server export-results` (stdlib only, nothing of Hecha imported):
applies the decisions of a results file to a copy of the source person records, as the 全员人口库's side
would. Usage: python apply_results.py SOURCE.json RESULTS.jsonl OUT.json

SOURCE.json: {"persons": {person_id: record}}. Each decision's persons replace the records they name
(`after`); a merge marks its removed ids {"status": "merged", "merged_into": survivor}.
"""

import json
import sys


def apply(source: dict, lines: list) -> dict:
    persons = {pid: dict(rec) for pid, rec in source["persons"].items()}
    for line in lines:
        if line["schema"] != "hecha.results/1":
            raise SystemExit(f"unknown schema {line['schema']}")
        for p in line["persons"]:
            status = persons.get(p["person_id"], {}).get("status", "active")
            persons[p["person_id"]] = {**p["after"], "status": status}
        if line["action"] == "merge_duplicates":
            survivor = line["decision"]["survivor_id"]
            for removed in line["decision"]["removed_ids"]:
                persons[removed] = {**persons[removed], "status": "merged", "merged_into": survivor}
    return {"persons": persons}


def main(argv: list) -> int:
    source_path, results_path, out_path = argv
    with open(source_path, encoding="utf-8") as fh:
        source = json.load(fh)
    with open(results_path, encoding="utf-8") as fh:
        lines = [json.loads(x) for x in fh if x.strip()]
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(apply(source, lines), fh, ensure_ascii=False, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
