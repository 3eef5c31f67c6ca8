"""Pydantic validation errors of a standard as located problems an author can act on.

The shared translation (``model_problems``) says what is wrong; this adds
what is particular to YAML: a number where text was meant (``version: 2024.10``),
``no`` for false, and a comma inside unquoted bilingual text.
"""

from __future__ import annotations

from pydantic import ValidationError

from checker.core.errors import Problem
from checker.core.messages import Msg, say
from checker.core.model_problems import Loc, model_problems
from checker.core.sources import Located

__all__ = ["model_problems_of_standard"]

_TEXT_KEYS = {"title", "label", "remediation", "description", "note", "help", "issuer", "unit", "requirement"}
YAML_HINTS = {
    "string_type": "hint.yaml_quote",
    "bool_type": "hint.type_boolean",
    "string_pattern_mismatch": "hint.pattern",
    "too_short": "hint.add_item",
}


def _comma_in_text(loc: Loc) -> Msg | None:
    key = loc[-1] if loc else ""
    parent = loc[-2] if len(loc) > 1 else ""
    if parent in _TEXT_KEYS or (isinstance(key, str) and len(loc) > 1 and " " in key):
        return say("hint.yaml_comma")
    return None


def model_problems_of_standard(exc: ValidationError, located: Located, name: str) -> list[Problem]:
    return model_problems(
        exc,
        lambda loc, message, hint: located.problem(name, loc, message, hint),
        extra_hint=_comma_in_text,
        kind_hints=YAML_HINTS,
        default_hint="hint.see_formats",
    )
