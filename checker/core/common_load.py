"""Reading common items: where fragments are found, and a fragment checked on its own.

A standard at ``DIR/x.yaml`` finds ``DIR/common/<item>.yaml`` first, then the
shipped ``standards/common/``. A fragment is checked like a standard: its
shape (the models), then, instantiated with its defaults, the same
cross-checks as any standard's fields and rules, every problem located in the
fragment's own file. Loaded fragments are kept per file version, so a district
run reads each once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checker.core.common import Fragment
from checker.core.common_resolve import MappedLocated, instantiate
from checker.core.errors import Problem
from checker.core.messages import Msg, say
from checker.core.sources import MAX_STANDARD_BYTES, Located, Path_, SourceProblem, read_bytes
from checker.core.standard import Standard
from checker.core.standard_checks import cross_check
from checker.core.standard_problems import model_problems_of_standard
from checker.core.yaml_source import parse_yaml

__all__ = ["check_fragment", "common_dirs", "find_fragments", "is_fragment", "known_items"]

_CACHE: dict[tuple[str, int, int], tuple[Fragment | None, list[Problem]]] = {}


def common_dirs(standard_path: Path | None = None) -> list[Path]:
    """Where a standard's common items are looked for: next to it, then the shipped ones."""
    dirs = [standard_path.parent / "common"] if standard_path is not None else []
    shipped = Path(__file__).resolve().parents[1] / "standards" / "common"
    if not any(d.resolve() == shipped.resolve() for d in dirs if d.is_dir()):
        dirs.append(shipped)
    return dirs


def is_fragment(data: Any) -> bool:
    return isinstance(data, dict) and "common" in data and "id" not in data


def known_items(dirs: Iterable[Path]) -> list[str]:
    names: set[str] = set()
    for d in dirs:
        if d.is_dir():
            names.update(p.stem for p in d.iterdir() if p.suffix == ".yaml" and p.is_file())
    return sorted(names)


def find_fragments(ids: Iterable[str], dirs: Sequence[Path]) -> tuple[dict[str, Fragment], list[Problem]]:
    """The fragments named (those found); a broken fragment's problems, located in its file."""
    found: dict[str, Fragment] = {}
    problems: list[Problem] = []
    for ident in dict.fromkeys(ids):
        path = next((d / f"{ident}.yaml" for d in dirs if (d / f"{ident}.yaml").is_file()), None)
        if path is None:
            continue
        fragment, trouble = _load(path)
        problems.extend(trouble)
        if fragment is not None and not trouble:
            found[ident] = fragment
    return found, problems


def _load(path: Path) -> tuple[Fragment | None, list[Problem]]:
    name = str(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    try:
        data, located = parse_yaml(read_bytes(path, name, MAX_STANDARD_BYTES), name)
        result = check_fragment(data, located, name, path.stem)
    except SourceProblem as exc:
        result = None, list(exc.problems)
    if key is not None:
        _CACHE[key] = result
    return result


def check_fragment(
    data: Any, located: Located, name: str, stem: str | None = None
) -> tuple[Fragment | None, list[Problem]]:
    """A fragment's models, then its defaults-instantiated rules through the standard checks."""
    problems: list[Problem] = []

    def fail(path: Path_, message: Msg, hint: Msg) -> None:
        problems.append(located.problem(name, path, message, hint))

    try:
        fragment = Fragment.model_validate(data)
    except ValidationError as exc:
        return None, model_problems_of_standard(exc, located, name)
    if stem is not None and fragment.common != stem:
        fail(("common",), say("common.name_file", item=fragment.common, stem=stem), say("hint.common_file"))
    for key, spec in fragment.parameters.items():
        path: Path_ = ("parameters", key, "default")
        if spec.type == "integer" and not isinstance(spec.default, int):
            fail(path, say("common.param_integer", value=spec.default), say("hint.whole_number"))
        if (spec.min is not None and spec.default < spec.min) or (
            spec.max is not None and spec.default > spec.max
        ):
            fail(path, say("common.param_range", value=spec.default, min=spec.min, max=spec.max),
                 say("hint.common_range"))  # fmt: skip
    values = {k: p.default for k, p in fragment.parameters.items()}

    def missing(path: Path_, param: str) -> None:
        fail(path, say("common.param_unknown", param=repr(param)), say("hint.common_params",
             names=", ".join(fragment.parameters) or "-"))  # fmt: skip

    refs, fields, rules = instantiate(fragment, values, missing)
    if problems:
        return fragment, problems
    for i, rule in enumerate(rules):
        if not isinstance(rule.get("key"), str):
            fail(("rules", i), say("common.rule_key"), say("hint.common_key"))
    if problems:
        return fragment, problems
    synthetic = {
        "format": 1,
        "id": "common",
        "version": fragment.version,
        "facility_type": "school",
        "title": fragment.title.model_dump(),
        "levels": [{"id": "x", "label": fragment.title.model_dump(), "min_score": 50}],
        "references": refs,
        "fields": fields,
        "sections": [
            {
                "id": "common",
                "title": fragment.title.model_dump(),
                "rules": [{"id": r["key"], **{k: v for k, v in r.items() if k != "key"}} for r in rules],
            }
        ],
    }
    mapping: dict[Path_, Path_] = {("sections", 0, "rules", i): ("rules", i) for i in range(len(rules))}
    mapped = MappedLocated(located, mapping)
    try:
        standard = Standard.model_validate(synthetic)
    except ValidationError as exc:
        return fragment, model_problems_of_standard(exc, mapped, name)
    return fragment, cross_check(standard, mapped, name)
