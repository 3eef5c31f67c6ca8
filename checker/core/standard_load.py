"""Loading a standard with every error reported at once.

Three passes, so an author sees all problems together: strict YAML, the
pydantic models (shape and types; the same contract as the published
``standard.schema.json``), then the cross-checks no schema can express.
Each problem is located as ``file:line:col`` from the YAML node marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.core.common import Fragment
from checker.core.common_load import common_dirs, find_fragments, is_fragment, known_items
from checker.core.common_resolve import resolve_uses
from checker.core.errors import Problem, StandardError
from checker.core.messages import Msg, say
from checker.core.sources import MAX_STANDARD_BYTES, Located, Path_, SourceProblem, read_bytes
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
    return parse_standard(text, name, common_dirs(path))


def parse_standard(text: str, name: str = "<standard>", dirs: Sequence[Path] | None = None) -> Standard:
    """A standard from its text; common items are looked for in ``dirs`` (default: the shipped ones)."""
    try:
        data, located = parse_yaml(text, name)
    except SourceProblem as exc:
        raise StandardError(exc.problems) from None
    return build_standard(data, located, name, dirs)


def build_standard(data: Any, located: Located, name: str, dirs: Sequence[Path] | None = None) -> Standard:
    if not isinstance(data, dict):
        raise StandardError([Problem.of(name, say("standard.not_mapping"), say("hint.standard_template"))])
    if is_fragment(data):
        raise StandardError([Problem.of(name, say("common.not_standard"), say("hint.common_lint"))])
    problems: list[Problem] = []
    fragments: dict[str, Fragment] = {}
    uses = data.get("uses")
    if isinstance(uses, list) and uses:
        data, located, fragments, problems = _resolve(
            data, located, name, common_dirs() if dirs is None else dirs
        )
    try:
        standard = Standard.model_validate(data)
    except ValidationError as exc:
        raise StandardError(problems + model_problems_of_standard(exc, located, name)) from None
    problems += cross_check(standard, located, name)
    if problems:
        raise StandardError(sorted(problems, key=lambda p: (p.file != name, p.line or 0, p.column or 0)))
    standard.fragments.update(fragments)
    return standard


def _resolve(
    data: dict[str, Any], located: Located, name: str, dirs: Sequence[Path]
) -> tuple[dict[str, Any], Located, dict[str, Fragment], list[Problem]]:
    ids = [u["common"] for u in data["uses"] if isinstance(u, dict) and isinstance(u.get("common"), str)]
    fragments, problems = find_fragments(ids, dirs)

    def fail(path: Path_, message: Msg, hint: Msg) -> None:
        problems.append(located.problem(name, path, message, hint))

    if problems:  # a broken fragment, reported in its own file: resolving it would only add noise
        raise StandardError(problems)
    resolved, mapped = resolve_uses(data, fragments, located, fail, known_items(dirs))
    return resolved, mapped, fragments, problems
