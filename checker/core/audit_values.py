"""An audit's observations checked and read in one pass when the audit is valid.

Most audits a review board checks are valid, so the common case is one loop
that unwraps the object form, reads the values the engine needs and sees that
every key is a declared field, then one validation of the bare values by the
standard's observation model (pydantic's compiled validator). It reuses the
very checks ``audit_checks`` makes (``well_formed``, ``observation_model``)
and only answers "nothing to report"; as soon as anything needs a word it
steps aside and ``audit_checks`` finds and words every problem
(``tests/test_audit_values.py`` compares the two).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from checker.core.audit_checks import observation_model
from checker.core.audit_diagnose import well_formed

if TYPE_CHECKING:
    from checker.core.audit import Audit
    from checker.core.standard import Standard

__all__ = ["valid_values"]


def valid_values(audit: Audit, standard: Standard) -> dict[str, Any] | None:
    """The values the engine reads (unknowns left out), or None when anything needs a word."""
    if audit.standard_version is not None and audit.standard_version != standard.version:
        return None
    rules = standard.rule_map
    for waiver in audit.waivers:
        rule = rules.get(waiver.rule)
        if rule is None or rule.mandatory:
            return None
    fields = standard.field_map
    dates: frozenset[str] | None = standard.memo.get("date_fields")
    if dates is None:
        dates = standard.memo["date_fields"] = frozenset(f.id for f in standard.fields if f.type == "date")
    bare: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, raw in audit.observations.items():
        if key not in fields:
            return None
        if isinstance(raw, dict):
            if "value" not in raw or not well_formed(raw):
                return None
            raw = raw["value"]
        bare[key] = raw
        if raw is not None:
            values[key] = raw
    try:
        observation_model(standard).model_validate(bare)
    except ValidationError:
        return None
    for key in dates.intersection(values):
        values[key] = dt.date.fromisoformat(values[key]).toordinal()
    return values
