"""The house rules of docs/architecture.md, checked on the source.

Every import counts (module level, inside functions, under TYPE_CHECKING):
a lazy import that dodges a circle is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "checker"

# what each layer may import (besides itself); the arrows of docs/architecture.md
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "report": {"core"},
    "forms": {"core"},
    "district": {"core", "report"},
    "cli": {"core", "report", "forms", "district", "api"},
}
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imports(name: str) -> set[str]:
    """Every checker module that module `name` imports, wherever the import statement is."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(name, path.name == "__init__.py", node)
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "api"
    return parts[1] if parts[1] in ALLOWED else "api"


def test_every_module_belongs_to_a_layer() -> None:
    loose = [m for m in MODULES if _layer(m) == "api" and m not in ("checker", "checker.__main__")]
    assert loose == [], f"modules outside the packages of docs/architecture.md: {loose}"


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_down(layer: str) -> None:
    wrong = sorted(
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        if _layer(m) == layer
        for t in targets
        if _layer(t) != layer and _layer(t) not in ALLOWED[layer]
    )
    assert wrong == [], "imports against the flow cli → district/report/forms → core:\n" + "\n".join(wrong)


def test_the_public_api_is_core_only() -> None:
    assert {_layer(t) for t in GRAPH["checker"]} <= {"core"}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if state.get(t) == 1:
                return [*stack[stack.index(t) :], t]
            if t not in state and (found := visit(t)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_circle() -> None:
    cycle = _cycle()
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def test_the_architecture_test_sees_a_circle() -> None:
    """The detector itself can fail: a made-up circle is found."""
    GRAPH["checker.core.errors"].add("checker.core.text")
    GRAPH["checker.core.text"].add("checker.core.errors")
    try:
        assert _cycle() is not None
    finally:
        GRAPH["checker.core.errors"].discard("checker.core.text")
        GRAPH["checker.core.text"] = _imports("checker.core.text")


def test_core_is_pure() -> None:
    banned = ("click", "weasyprint", "sqlite3", "jinja2", "openpyxl", "segno", "pyhanko")
    wrong = []
    for name, path in MODULES.items():
        if _layer(name) != "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            wrong += [f"{name} imports {n}" for n in names if n.split(".")[0] in banned]
    assert wrong == []


def test_modules_stay_small() -> None:
    sizes = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in MODULES.items()}
    big = {n: s for n, s in sizes.items() if s > MAX_LINES}
    assert big == {}, f"modules over {MAX_LINES} lines: {big}"
