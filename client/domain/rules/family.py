"""Household structure and parent rules."""

from __future__ import annotations

from typing import Any, Iterator

from client.domain.codes import relation_generation, relation_implied_sex
from client.domain.models import Person
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.rules.engine import (
    SPOUSE_RELATIONS, Subject, _binary_sex, _code_name, _is_dead, _is_head, _rule, _sex_name, age_on,
    parse_date,
)

# ---------------------------------------------------------------------------------- household


@_rule("HH_RELATION_SEX", "E", ("relation", "sex"), "Household", QT_TRANSLATE_NOOP("rules", "与户主关系隐含的性别与登记性别一致"))
def _relation_sex(s: Subject) -> Iterator[dict[str, Any]]:
    rel = (s.person.relation or "").strip()
    implied, sex = relation_implied_sex(rel), _binary_sex(s.person.sex)
    if implied and sex and implied != sex:
        yield {"relation_name": _code_name("relation", rel), "implied_sex_name": _sex_name(str(implied)),
               "sex_name": _sex_name(str(sex))}


@_rule("HH_GENERATION_GAP", "W", ("relation", "birth_date"), "Household",
       QT_TRANSLATE_NOOP("rules", "辈分年龄差：子女比户主至少小12岁，孙辈至少小24岁"))
def _generation_gap(s: Subject) -> Iterator[dict[str, Any]]:
    rel = (s.person.relation or "").strip()
    gen = relation_generation(rel)
    head = s.head
    if not gen or head is None or head is s.person or s.birth is None:
        return
    head_birth = parse_date(head.birth_date)
    if head_birth is None:
        return
    min_gap = abs(gen) * s.p("generation_gap_years")
    older, younger = (head_birth, s.birth) if gen < 0 else (s.birth, head_birth)
    gap = age_on(older, younger) if younger >= older else -age_on(younger, older)
    if gap < min_gap:
        yield {"relation_name": _code_name("relation", rel), "head_name": head.name or "",
               "gap": gap, "min_gap": min_gap}


@_rule("HH_NO_HEAD", "E", ("relation",), "Household", QT_TRANSLATE_NOOP("rules", "每户恰有一名户主"), scope="household")
def _no_head(s: Subject) -> Iterator[dict[str, Any]]:
    living = [m for m in s.members if not _is_dead(m)]
    if living and not any(_is_head(m) for m in living):
        yield {"_who": []}


def _names_of(people: list[Person]) -> str:
    return "、".join(p.name or p.person_id or "？" for p in people)


@_rule("HH_MULTI_HEAD", "E", ("relation",), "Household", QT_TRANSLATE_NOOP("rules", "每户只能有一名户主"), scope="household")
def _multi_head(s: Subject) -> Iterator[dict[str, Any]]:
    heads = [m for m in s.members if _is_head(m) and not _is_dead(m)]
    if len(heads) > 1:
        yield {"_who": heads, "count": len(heads), "names": _names_of(heads)}


@_rule("HH_MULTI_SPOUSE", "E", ("relation",), "Household", QT_TRANSLATE_NOOP("rules", "户主至多有一名配偶"), scope="household")
def _multi_spouse(s: Subject) -> Iterator[dict[str, Any]]:
    spouses = [m for m in s.members if (m.relation or "").strip() in SPOUSE_RELATIONS and not _is_dead(m)]
    if len(spouses) > 1:
        yield {"_who": spouses, "count": len(spouses), "names": _names_of(spouses)}


@_rule("HH_DEAD_HEAD", "E", ("relation", "death_date"), "Household", QT_TRANSLATE_NOOP("rules", "已死亡的人不能是在册户的户主"),
       scope="household")
def _dead_head(s: Subject) -> Iterator[dict[str, Any]]:
    living = [m for m in s.members if not _is_dead(m)]
    for m in s.members:
        if living and _is_head(m) and _is_dead(m):
            yield {"_who": [m], "name": m.name or "", "death_date": m.death_date or "已死亡"}


# ---------------------------------------------------------------------------------- parents


def _parent_age(s: Subject, parent: Person | None) -> int | None:
    if parent is None or s.birth is None:
        return None
    pb = parse_date(parent.birth_date)
    if pb is None or pb > s.birth:
        return None if pb is None else -age_on(s.birth, pb)
    return age_on(pb, s.birth)


def _age_outside(s: Subject, parent: Person | None, param: str, name_key: str) -> dict[str, Any] | None:
    """The finding's params when the parent's age at the birth is outside the range of the rule
    parameter param; None when it is inside or not known."""
    age = _parent_age(s, parent)
    lo, hi = s.p(param)
    if parent is not None and age is not None and (age < lo or age > hi):
        return {name_key: parent.name or "", "age": age, "min_age": lo, "max_age": hi}
    return None


@_rule("PARENT_MOTHER_AGE_W", "W", ("birth_date",), "Parents", QT_TRANSLATE_NOOP("rules", "生育时母亲年龄在15—49岁之间"))
def _mother_age_w(s: Subject) -> Iterator[dict[str, Any]]:
    mother = s.ctx.mother
    if _age_outside(s, mother, "mother_age_error", "mother_name") and s.cfg.enabled("PARENT_MOTHER_AGE_E"):
        return  # the error says it
    found = _age_outside(s, mother, "mother_age_warn", "mother_name")
    if found is not None:
        yield found


@_rule("PARENT_MOTHER_AGE_E", "E", ("birth_date",), "Parents", QT_TRANSLATE_NOOP("rules", "生育时母亲不小于12岁、不大于60岁"))
def _mother_age_e(s: Subject) -> Iterator[dict[str, Any]]:
    found = _age_outside(s, s.ctx.mother, "mother_age_error", "mother_name")
    if found is not None:
        yield found


@_rule("PARENT_FATHER_AGE", "W", ("birth_date",), "Parents", QT_TRANSLATE_NOOP("rules", "生育时父亲年龄在16—70岁之间"))
def _father_age(s: Subject) -> Iterator[dict[str, Any]]:
    found = _age_outside(s, s.ctx.father, "father_age_warn", "father_name")
    if found is not None:
        yield found


@_rule("PARENT_SEX", "E", ("mother_name", "father_name"), "Parents", QT_TRANSLATE_NOOP("rules", "母亲为女性，父亲为男性"))
def _parent_sex(s: Subject) -> Iterator[dict[str, Any]]:
    for role, parent, want, f in (("母亲", s.ctx.mother, 2, "mother_name"), ("父亲", s.ctx.father, 1, "father_name")):
        if parent is None:
            continue
        sex = _binary_sex(parent.sex)
        if sex and sex != want:
            yield {"_fields": (f,), "role_name": role, "parent_name": parent.name or "",
                   "sex_name": _sex_name(str(sex))}


@_rule("PARENT_DEAD", "E", ("birth_date",), "Parents", QT_TRANSLATE_NOOP("rules", "母亲在出生前未死亡，父亲死亡不早于出生前300天"))
def _parent_dead(s: Subject) -> Iterator[dict[str, Any]]:
    if s.birth is None:
        return
    for role, parent, slack in (("母亲", s.ctx.mother, 0), ("父亲", s.ctx.father, s.p("father_death_days"))):
        death = parse_date(parent.death_date) if parent else None
        if parent is not None and death and (s.birth - death).days > slack:
            yield {"role_name": role, "parent_name": parent.name or "", "death_date": death.isoformat(),
                   "birth_date": s.birth.isoformat()}


@_rule("PARENT_BIRTH_INTERVAL", "W", ("birth_date",), "Parents",
       QT_TRANSLATE_NOOP("rules", "同一母亲两次生育间隔不少于180天（同日出生除外）"))
def _birth_interval(s: Subject) -> Iterator[dict[str, Any]]:
    if s.birth is None or not s.ctx.existing_children:
        return
    min_days = s.p("birth_interval_days")
    mother_name = s.ctx.mother.name if s.ctx.mother else (s.person.mother_name or "")
    for other in s.ctx.existing_children:
        if other is s.person or (other.person_id and other.person_id == s.person.person_id):
            continue
        ob = parse_date(other.birth_date)
        if ob is None or ob == s.birth:
            continue
        days = abs((s.birth - ob).days)
        if days < min_days:
            yield {"mother_name": mother_name or "", "other_name": other.name or "",
                   "other_birth_date": ob.isoformat(), "days": days, "min_days": min_days}


