"""Conditions: parsed once against the standard's fields, then evaluated in three values.

A condition evaluates to True, False or None (unknown: a field it needs was not
observed). Parsing checks everything a schema cannot: the field is declared,
the operator fits the field's type, the value has the field's type. Evaluation
is pure and hot (thousands of audits per second), so nodes are small slotted
classes and operators are plain functions in a dict. Numbers compare with an
absolute tolerance of 1e-9, as the format requires.
"""

from checker.core.conditions.nodes import Condition
from checker.core.conditions.ops import (
    EPS,
    NUMERIC_OPS,
    OPS_BY_TYPE,
    ConditionProblem,
    Decimals,
    FieldLike,
    fmt_number,
    fmt_value,
)
from checker.core.conditions.parser import parse_condition

__all__ = [
    "EPS",
    "NUMERIC_OPS",
    "OPS_BY_TYPE",
    "Condition",
    "ConditionProblem",
    "Decimals",
    "FieldLike",
    "fmt_number",
    "fmt_value",
    "parse_condition",
]
