"""The validation rule engine: every rule of DOMAIN.md with a stable code, severity, fields and a
Chinese message; rules can be switched off and tuned (RuleConfig), warnings overridden with a reason.

The server and the client run the same rules: validate_person for a record, validate_household for
a household's structure, validate_birth for a birth pushed from the birth-certificate system.
Rules live in record.py (ID, required, codes), names_dates.py (names, dates, marriage),
family.py (household, parents) and birth.py; engine.py runs them; contexts.py builds the
contexts of the client's cases.
"""

from __future__ import annotations

from client.domain.rules import engine
from client.domain.rules import record, names_dates, family, birth  # noqa: F401  (register rules, in order)

engine.finalize()

from client.domain.rules.engine import (  # noqa: E402
    CONTEXT_NEEDS, DEFAULT_PARAMS, RULE_FAILED, RULES, RULES_BY_CODE, Rule, RuleConfig, RuleContext, Subject,
    Verdict, age_on, apply_overrides, derive_child_relation, keep_unverifiable, list_rules, parse_date, rule,
    unverifiable_codes, validate_birth, validate_household, validate_person,
)
from client.domain.rules.contexts import (  # noqa: E402
    PARENT_LINK_FIELDS, birth_context, error_context, error_findings, known_children,
)

__all__ = [
    "CONTEXT_NEEDS", "keep_unverifiable", "unverifiable_codes", "DEFAULT_PARAMS", "RULE_FAILED", "RULES", "RULES_BY_CODE", "Rule", "RuleConfig", "RuleContext",
    "Subject", "Verdict", "age_on", "apply_overrides", "derive_child_relation", "list_rules",
    "parse_date", "rule", "validate_birth", "validate_household", "validate_person",
    "PARENT_LINK_FIELDS", "birth_context", "error_context", "error_findings", "known_children",
]
