"""Classroom copies: every trainee gets the same teaching cases on their own copy of the records.

The copies share nothing a rule or a lookup could connect: person, household and case ids, valid ID
numbers and birth-certificate numbers are all new per trainee (a birth confirmed by one trainee never
makes another trainee's copy a duplicate). Injected problems are kept exactly: broken ID numbers stay
broken in the same way, a typo stays a one-digit typo of the (new) number, a 重号 pair keeps sharing
its (new) number.
"""

from __future__ import annotations

from typing import Any

import random
from dataclasses import replace

from client.domain.idnumber import check_id_number, make_id_number, normalize_id_text
from sync.server.seed import DemoDataset
from sync.server.seed.accounts import _password

_CERT_LETTERS = "ABCDEFGHJKMNPQRST"


def _group_of(code: str) -> str:
    from client.domain.rules import RULES_BY_CODE
    rule = RULES_BY_CODE.get(code)
    return rule.group if rule else code


# The problems a trainer walks through (DESIGN.md names the first three), about two per rule group.
TEACHING_ERRORS = ("ID_CHECKSUM", "ID_BIRTH_MISMATCH", "PARENT_MOTHER_AGE_E", "REQ_MARITAL",
                   "REQ_FIRST_MARRIAGE_DATE", "CODE_INVALID", "PLACE_NOT_CURRENT", "NAME_TRADITIONAL",
                   "NAME_PLACEHOLDER_AGE", "DATE_ORDER", "AGE_OVER_110", "MARRIAGE_EARLY",
                   "SPOUSE_OF_HEAD", "HH_RELATION_SEX", "HH_DEAD_HEAD", "PARENT_BIRTH_INTERVAL")
TEACHING_BIRTH_PROBLEMS = ("BIRTH_ISSUE_DATE", "BIRTH_MOTHER_ID")


def select_cases(ds: DemoDataset, username: str) -> list[dict[str, Any]]:
    """A 45-minute worklist from one worker's cases: the TEACHING_ERRORS, a plain birth, a twin pair,
    an already-registered child and two certificate problems, one case per duplicate pattern (plus a
    similar-shape name and a three-member group when present)."""
    mine = [c for c in ds.cases if c["assigned_to"] == username]
    out: list[dict[str, Any]] = []
    errors = [c for c in mine if c["kind"] == "error"]
    for code in TEACHING_ERRORS:
        hit = next((c for c in errors if code in c["injected"] and c not in out), None)
        if hit is None:  # not in this worker's list: another problem of the same group
            hit = next((c for c in errors if _group_of(c["injected"][0]) == _group_of(code) and c not in out), None)
        if hit is not None:
            out.append(hit)
    births = [c for c in mine if c["kind"] == "birth"]
    by_id = {c["id"]: c for c in births}
    plain = next((c for c in births if not c["injected"] and not c.get("twin_case_id")), None)
    twin = next((c for c in births if c.get("twin_case_id") in by_id), None)
    match = next((c for c in births if c["match_ids"]), None)
    problems: list[dict[str, Any]] = []
    for code in TEACHING_BIRTH_PROBLEMS:
        hit = next((c for c in births if c["injected"] == [code]), None)
        if hit is not None:
            problems.append(hit)
    for c in (plain, twin, by_id.get(twin["twin_case_id"]) if twin else None, match, *problems):
        if c is not None and c not in out:
            out.append(c)
    seen: set[Any] = set()
    for c in mine:
        if c["kind"] != "duplicates":
            continue
        key = c["pattern"]
        extra = ("shape" if c.get("name_kind") == "shape" else "three" if len(c["member_ids"]) > 2 else None)
        if key not in seen:
            seen.add(key)
            out.append(c)
        elif extra and extra not in seen:
            seen.add(extra)
            out.append(c)
    order = {c["id"]: i for i, c in enumerate(ds.cases)}
    return sorted(out, key=lambda c: order[c["id"]])


def _households_of(ds: DemoDataset, cases: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for c in cases:
        if c["kind"] == "error":
            out.add(ds.person(c["person_id"])["household_id"])
        elif c["kind"] == "birth":
            out.update(c["household_ids"])
            for pid in (c.get("mother_id"), c.get("father_id"), *c["match_ids"]):
                if pid:
                    out.add(ds.person(pid)["household_id"])
        else:
            out.update(ds.person(pid)["household_id"] for pid in c["member_ids"])
    return out


class _Copier:
    """Maps every identifier of the base records to a trainee's own, consistently within one copy."""

    def __init__(self, rng: random.Random, suffix: str, used_ids: set[str], used_certs: set[str],
                 own_certs: set[str]) -> None:
        self.rng = rng
        self.own_certs = own_certs  # numbers of the copied records; others stay (a duplicate stays one)
        self.suffix = suffix
        self.used_ids = used_ids
        self.used_certs = used_certs
        self.ids: dict[str, str] = {}
        self.certs: dict[str, str] = {}

    def new_valid(self, normalized: str) -> str:
        chk = check_id_number(normalized)
        if chk.birth_date is None:
            raise ValueError(f"not a dated ID number: {normalized}")
        parity = int(normalized[16]) % 2
        for _ in range(2000):
            seq = self.rng.randrange(1000)
            if seq % 2 != parity:
                continue
            number = make_id_number(normalized[:6], chk.birth_date, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError("no free ID sequence number")  # pragma: no cover

    def id_number(self, text: str | None) -> str | None:
        """A valid number (in any spelling: spaces, lower-case x) becomes this copy's number, written
        the same way; a broken one is kept (nobody else's record refers to it)."""
        if not text:
            return text
        norm = normalize_id_text(text)
        chk = check_id_number(norm)
        if not chk.valid or chk.normalized != norm:
            return text
        new = self.ids.get(norm)
        if new is None:
            new = self.ids[norm] = self.new_valid(norm)
        if " " in text:
            return f"{new[:6]} {new[6:14]} {new[14:]}"
        if text.endswith("x"):
            return new[:17] + "x"
        return new

    def cert(self, number: str | None) -> str | None:
        if not number or number not in self.own_certs or not (
                len(number) == 10 and number[0].isupper() and number[1:].isdigit()):
            return number
        new = self.certs.get(number)
        if new is None:
            while True:
                new = self.rng.choice(_CERT_LETTERS) + f"{self.rng.randrange(10**9):09d}"
                if new not in self.used_certs:
                    break
            self.used_certs.add(new)
            self.certs[number] = new
        return new

    def typo_of(self, original: str, typo: str, new_original: str) -> str:
        """The same kind of typo (one substitution or two neighbours swapped) of the new number."""
        o, t = normalize_id_text(original), normalize_id_text(typo)
        diff = [i for i in range(min(len(o), len(t))) if o[i] != t[i]]
        n = list(normalize_id_text(new_original))
        if len(diff) == 2 and diff[1] == diff[0] + 1 and n[diff[0]] != n[diff[1]]:
            i = diff[0]
            n[i], n[i + 1] = n[i + 1], n[i]
        else:
            i = diff[0] if diff else 15
            want = t[i] if i < len(t) and t[i] != n[i] else next(c for c in "0123456789" if c != n[i])
            n[i] = want
        return "".join(n)


_ID_FIELDS = ("id_number", "spouse_id_number", "father_id_number", "mother_id_number")


def make_classroom(ds: DemoDataset, trainees: int = 30, template_user: str | None = None,
                   all_cases: bool = False) -> DemoDataset:
    """ds plus `trainees` accounts t01, t02… (role township), each with a private copy of the teaching
    cases of template_user (default: the first township worker) and of the households they involve."""
    if not 1 <= trainees <= 200:
        raise ValueError("学员人数应在 1 到 200 之间")
    accounts = {a["username"]: a for a in ds.accounts}
    if template_user is None:
        template_user = next(a["username"] for a in ds.accounts if a["role"] == "township")
    if template_user not in accounts:
        raise ValueError(f"没有账号 {template_user}")
    template = accounts[template_user]
    chosen = [c for c in ds.cases if c["assigned_to"] == template_user] if all_cases else select_cases(ds, template_user)
    households = _households_of(ds, chosen)
    base_hh = [h for h in ds.households if h["household_id"] in households]
    base_persons = [p for p in ds.persons if p["household_id"] in households]

    own_certs = {p["birth_cert_number"] for p in base_persons if p.get("birth_cert_number")}
    own_certs |= {c["certificate"]["cert_number"] for c in chosen if c["kind"] == "birth"}
    rng = random.Random(f"hecha-classroom:{ds.seed_value}:{trainees}:{template_user}")
    used_ids = {normalize_id_text(p["id_number"]) for p in ds.persons if p.get("id_number")}
    used_certs = {p["birth_cert_number"] for p in ds.persons if p.get("birth_cert_number")}
    used_certs |= {c["certificate"]["cert_number"] for c in ds.cases if c["kind"] == "birth"}
    next_no = {k: max([int(c["id"].split("-")[1]) for c in ds.cases if c["kind"] == k] or [0]) + 1
               for k in ("error", "birth", "duplicates")}
    prefix = {"error": "E", "birth": "B", "duplicates": "D"}

    persons, hhs, cases, new_accounts = list(ds.persons), list(ds.households), list(ds.cases), list(ds.accounts)
    township_name = template["display_name"].split(" ")[0]
    for k in range(1, trainees + 1):
        username = f"t{k:02d}"
        if username in accounts:
            raise ValueError(f"账号 {username} 已存在")
        suffix = f"T{k:02d}"
        cp = _Copier(rng, suffix, used_ids, used_certs, own_certs)
        pid = {p["person_id"]: p["person_id"] + suffix for p in base_persons}
        hid = {h["household_id"]: h["household_id"] + suffix for h in base_hh}
        for h in base_hh:
            hhs.append({**h, "household_id": hid[h["household_id"]],
                        "head_person_id": pid.get(h.get("head_person_id"), h.get("head_person_id"))})
        copies: dict[str, dict[str, Any]] = {}
        for p in base_persons:
            q = dict(p)
            q["person_id"] = pid[p["person_id"]]
            q["household_id"] = hid[p["household_id"]]
            for f in _ID_FIELDS:
                if q.get(f):
                    q[f] = cp.id_number(q[f])
            if q.get("birth_cert_number"):
                q["birth_cert_number"] = cp.cert(q["birth_cert_number"])
            copies[p["person_id"]] = q
            persons.append(q)
        case_ids: dict[str, str] = {}
        for c in chosen:
            case_ids[c["id"]] = f"{prefix[c['kind']]}-{next_no[c['kind']]}"
            next_no[c["kind"]] += 1
        for c in chosen:
            n = {**c, "id": case_ids[c["id"]], "assigned_to": username}
            if c["kind"] == "error":
                n["person_id"] = pid[c["person_id"]]
            elif c["kind"] == "birth":
                cert = dict(c["certificate"])
                cert["cert_number"] = cp.cert(cert["cert_number"])
                for f in ("mother_id_number", "father_id_number"):
                    cert[f] = cp.id_number(cert.get(f))
                prop = dict(c["proposed"])
                prop["birth_cert_number"] = cp.cert(prop.get("birth_cert_number"))
                for f in _ID_FIELDS:
                    if prop.get(f):
                        prop[f] = cp.id_number(prop[f])
                n.update(certificate=cert, proposed=prop, mother_id=pid.get(c["mother_id"]),
                         father_id=pid.get(c["father_id"]) if c.get("father_id") else None,
                         household_ids=[hid[h] for h in c["household_ids"]],
                         match_ids=[pid[m] for m in c["match_ids"]])
                if c.get("twin_case_id"):
                    n["twin_case_id"] = case_ids.get(c["twin_case_id"], c["twin_case_id"])
            else:
                n["member_ids"] = [pid[m] for m in c["member_ids"]]
                if c["pattern"] == "id_typo":
                    a, b = (ds.person(m) for m in c["member_ids"][:2])
                    copies[b["person_id"]]["id_number"] = cp.typo_of(a["id_number"], b["id_number"],
                                                                     copies[a["person_id"]]["id_number"])
            cases.append(n)
        new_accounts.append({"username": username, "password": _password(rng), "role": "township",
                             "jurisdiction": template["jurisdiction"],
                             "display_name": f"学员{k:02d}（{township_name}）"})
    return replace(ds, persons=persons, households=hhs, cases=cases, accounts=new_accounts)


__all__ = ["make_classroom", "select_cases"]
