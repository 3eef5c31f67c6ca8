"""`check lint`: everything wrong with a standard file, in one run.

The published JSON Schema runs first (it is what editors and other tools
see); when the shape is right, the models and cross-checks run, so an author
never fixes one error only to meet the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checker.core.common_load import check_fragment, common_dirs, is_fragment
from checker.core.errors import Problem, StandardError
from checker.core.schema import schema_problems
from checker.core.sources import MAX_STANDARD_BYTES, SourceProblem, read_bytes
from checker.core.standard_load import build_standard
from checker.core.yaml_source import parse_yaml

__all__ = ["lint_file", "lint_text"]


def lint_file(path: Path) -> list[Problem]:
    name = str(path)
    try:
        text = read_bytes(path, name, MAX_STANDARD_BYTES)
    except SourceProblem as exc:
        return [exc.problem]
    return lint_text(text, name, common_dirs(path))


def lint_text(text: str, name: str, dirs: Sequence[Path] | None = None) -> list[Problem]:
    """Every problem of a standard or a common item (``common:``) given as text."""
    try:
        data, located = parse_yaml(text, name)
    except SourceProblem as exc:
        return [exc.problem]
    if is_fragment(data):
        schema = schema_problems(data, located, name, "common")
        _, models = check_fragment(data, located, name, Path(name).stem if name.endswith(".yaml") else None)
        return _merged(schema, models)
    schema = schema_problems(data, located, name)
    try:
        build_standard(data, located, name, dirs)
        models = []
    except StandardError as exc:
        models = exc.problems
    return _merged(schema, models)


def _merged(schema: list[Problem], models: list[Problem]) -> list[Problem]:
    # Both layers describe the same contract; keep the clearer model message
    # where they agree on the place, and anything only the schema sees.
    places = {p.path for p in models}
    extra = [p for p in schema if p.path not in places and not _covered(p.path, places)]
    return sorted(models + extra, key=lambda p: (p.file, p.line or 0, p.column or 0))


def _covered(path: str, places: set[str]) -> bool:
    return any(path.startswith(place + ".") or path.startswith(place + "[") for place in places)
