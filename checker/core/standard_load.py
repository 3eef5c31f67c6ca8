"""Loading a standard with every error reported at once.

Three passes, so an author sees all problems together: strict YAML, the
pydantic models (shape and types; the same contract as the published
``standard.schema.json``), then the cross-checks no schema can express.
Each problem is located as ``file:line:col`` from the YAML node marks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.core.errors import Problem, StandardError
from checker.core.messages import say
from checker.core.sources import MAX_STANDARD_BYTES, Located, SourceProblem, read_bytes
from checker.core.standard import Standard
from checker.core.standard_checks import cross_check
from checker.core.standard_problems import model_problems_of_standard
from checker.core.yaml_source import parse_yaml

__all__ = ["build_standard", "load_standard", "parse_standard"]


def load_standard(path: str | Path) -> Standard:
    """Read, validate and cross-check one standard file; raises StandardError."""
    path = Path(path)
    name = str(path)
    try:
        text = read_bytes(path, name, MAX_STANDARD_BYTES)
    except SourceProblem as exc:
        raise StandardError(exc.problems) from None
    return parse_standard(text, name)


def parse_standard(text: str, name: str = "<standard>") -> Standard:
    try:
        data, located = parse_yaml(text, name)
    except SourceProblem as exc:
        raise StandardError(exc.problems) from None
    return build_standard(data, located, name)


def build_standard(data: Any, located: Located, name: str) -> Standard:
    if not isinstance(data, dict):
        raise StandardError([Problem.of(name, say("standard.not_mapping"), say("hint.standard_template"))])
    try:
        standard = Standard.model_validate(data)
    except ValidationError as exc:
        raise StandardError(model_problems_of_standard(exc, located, name)) from None
    problems = cross_check(standard, located, name)
    if problems:
        raise StandardError(problems)
    return standard
