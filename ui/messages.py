"""Message codes from client/ and sync/ turned into the worker's words, translated (Linguist).

client/ returns stable codes with parameters; their Chinese texts live once, in the Qt-free
catalogue client/messages.py (the command line prints them as they are); here they are
translated. Codes not in the catalogue fall back to the message the error carries, then to the
code itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from client.domain.messages import fill
from client.domain.models import Finding
from client.messages import CONTEXT, MESSAGES, NEEDS_REASON, NOT_VALIDATED, template_for
from ui.code_names import translated

TEMPLATES = MESSAGES  # the catalogue's texts, by code


def render(code: str, params: Mapping[str, Any] | None = None, fallback: str | None = None) -> str:
    """The text for a message code: translated template, else the domain's message, else code."""
    template = template_for(code, params)
    if template is not None:
        return fill(QCoreApplication.translate(CONTEXT, template), params)
    if fallback:
        return fallback
    return code


def refused_summary(errors: Sequence[Finding], warnings: Sequence[Finding]) -> str:
    """What a refused save lacks: each error, then each warning that needs a reason."""
    parts = [finding_text(f) for f in errors]
    parts += [fill(QCoreApplication.translate(CONTEXT, NEEDS_REASON), {"finding": finding_text(f)})
              for f in warnings]
    return "；".join(parts) or QCoreApplication.translate(CONTEXT, NOT_VALIDATED)


RULES = "rules"
"""The catalogue context of the core's rule words (client/domain/messages.py, rule descriptions)."""


def field_name(field: str) -> str:
    """A record field's name in the worker's language."""
    from client.domain.messages import field_label
    return QCoreApplication.translate(RULES, field_label(field))


def rule_description(code: str) -> str:
    """What a rule checks, in the worker's language (the code itself for an unknown rule)."""
    from client.domain.rules import RULES_BY_CODE
    rule = RULES_BY_CODE.get(code)
    return QCoreApplication.translate(RULES, rule.description) if rule is not None else code


def _word(text: str) -> str:
    """A word in a finding's params: a rule word (field name, sex, level), else a code-table name
    (relation, marital status: "配偶" → "Spouse"), else as it is (names of people)."""
    word = QCoreApplication.translate(RULES, text)
    return word if word != text else translated(text)


def rule_text(code: str, params: Mapping[str, Any] | None, fallback: str | None = None) -> str:
    """A rule finding (or duplicate reason) in the worker's language, from its code and params:
    the core's template and the words in its params (field names, sex, levels) translated."""
    from client.domain.messages import UNKNOWN_RULE, template
    source = template(code)
    if source is None:
        return fallback or fill(QCoreApplication.translate(CONTEXT, UNKNOWN_RULE), {"code": code})
    words = {k: _word(v) if isinstance(v, str) and v else ("" if v is None else v)
             for k, v in (params or {}).items()}
    return fill(QCoreApplication.translate(RULES, source), words)


def finding_text(finding: Finding | Mapping[str, Any]) -> str:
    """The text of a rule Finding (object or dict with code/params), never the core's message
    (Chinese) when the code is known."""
    if isinstance(finding, Finding):
        return rule_text(finding.code, finding.params or {}, finding.message or None)
    return rule_text(finding.get("code", "") or "", finding.get("params") or {},
                     finding.get("message") or None)
