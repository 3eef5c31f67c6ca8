from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.conditions.ops import fmt_number
from checker.core.json_source import _UNSURE, JsonDoc, _fast, _loads, parse_json, parse_json_bytes
from checker.core.sources import SourceProblem, decode, format_path, read_bytes
from checker.core.yaml_source import parse_yaml


def test_yaml_12_scalars_no_coercion() -> None:
    data, _ = parse_yaml("a: no\nb: 010\nc: 1.10\nd: 2024-03-14\ne: 12:30\nf: yes\ng: true\nh: ~\n", "x")
    assert data == {
        "a": "no",
        "b": "010",
        "c": 1.1,
        "d": "2024-03-14",
        "e": "12:30",
        "f": "yes",
        "g": True,
        "h": None,
    }


def test_yaml_limits_keep_their_written_decimals() -> None:
    doc, _ = parse_yaml(
        "r: {field: x, gte: 0.90}\nb: {field: x, between: [0.70, 0.85]}\nn: 1.10\np: {gte: 0.9, lt: 3.0}\n", "s.yaml"
    )
    limit = doc["r"]["gte"]
    assert limit == 0.9 and fmt_number(limit) == "0.90"
    assert [fmt_number(v) for v in doc["b"]["between"]] == ["0.70", "0.85"]
    assert type(doc["n"]) is float and fmt_number(doc["n"]) == "1.1"  # not a limit: a plain number
    assert fmt_number(doc["p"]["gte"]) == "0.9" and fmt_number(doc["p"]["lt"]) == "3.0"
    plan, _ = parse_yaml("t: {gte: 0.90}\n", "p.yaml", kind="plan")
    assert type(plan["t"]["gte"]) is float


def test_shipped_limits_read_as_the_code_writes_them() -> None:
    from checker import Catalog
    from checker.core.requirement import requirement

    hospital = Catalog.discover(environment=False).get("yuzhong-hospital")
    atrium, waiting = requirement(hospital, "HOS-SAF-04"), requirement(hospital, "HOS-SPA-06")
    assert atrium is not None and atrium.zh == "中庭栏杆最低高度不小于 1.20 m"
    assert waiting is not None and "不小于 3.00 m" in waiting.zh and "at least 2.40 m" in waiting.en


def test_yaml_positions() -> None:
    _, located = parse_yaml("a:\n  b: [1, 2]\n  c: x\n", "x")
    assert located.find(("a", "c")) == (3, 6)
    assert located.find(("a", "b", 1)) == (2, 10)
    assert located.find(("a", "zz")) == (2, 3)  # nearest ancestor


def test_yaml_rejects_alias_bomb_fast() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    start = time.perf_counter()
    with pytest.raises(SourceProblem, match="alias"):
        parse_yaml("\n".join(lines), "bomb.yaml")
    assert time.perf_counter() - start < 5  # sanity, not a benchmark


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a: !!python/object/apply:os.getcwd []\n", "tag", 1),
        ("a: [1, 2\n", "syntax", 2),
        ("--- 1\n--- 2\n", "syntax", 2),
        ("1: x\n", "keys must be plain text", 1),
        ("a: !!binary aGVsbG8=\n", "tag", 1),
    ],
)
def test_yaml_refusals(text: str, fragment: str, line: int) -> None:
    with pytest.raises(SourceProblem) as info:
        parse_yaml(text, "bad.yaml")
    assert fragment in str(info.value)
    assert info.value.problem.line == line
    assert info.value.problem.file == "bad.yaml"


def test_yaml_empty() -> None:
    with pytest.raises(SourceProblem, match="empty"):
        parse_yaml("# nothing\n", "e.yaml")


def test_yaml_deep_nesting_is_clean_error() -> None:
    with pytest.raises(SourceProblem):
        parse_yaml("[" * 2000 + "]" * 2000, "deep.yaml")


@pytest.mark.parametrize(
    ("text", "fragment", "path", "line"),
    [
        ('{"a": 1, "a": 2}', "duplicate key 'a'", "$.a", 1),
        ('{"a": {"b": [1, NaN]}}', "NaN", "$.a.b[1]", 1),
        ('{\n "a": -Infinity}', "Infinity", "$.a", 2),
    ],
)
def test_json_refusals_are_located(text: str, fragment: str, path: str, line: int) -> None:
    with pytest.raises(SourceProblem) as info:
        parse_json(text, "a.json")
    problem = info.value.problem
    assert fragment in problem.message
    assert problem.path == path
    assert problem.line == line


def test_json_syntax_error_line_col() -> None:
    # the missing comma is placed where it belongs: the end of line 2
    with pytest.raises(SourceProblem) as info:
        parse_json('{\n  "a": 1\n  "b": 2\n}', "a.json")
    assert (info.value.problem.line, info.value.problem.column) == (2, 9)
    assert "comma is missing" in info.value.problem.message


def test_json_depth_and_big_int() -> None:
    with pytest.raises(SourceProblem, match="nested too deeply"):
        parse_json("[" * 100_000 + "]" * 100_000, "deep.json")
    with pytest.raises(SourceProblem, match="has 5000 digits"):
        parse_json("1" * 5000, "big.json")
    # located where it stands, also past the depth of an audit's own objects
    with pytest.raises(SourceProblem, match=r"2:7: \$\.a\[0\]: the number 999999999999… has 200 digits"):
        parse_json('{"a":\n     [' + "9" * 200 + "]}", "big.json")
    # JSON is capped at the depth YAML is (64), in every object, the open ones too
    deep = '{"facility": {"extra": ' + '{"a": ' * 70 + "1" + "}" * 70 + "}}"
    with pytest.raises(SourceProblem, match=r"\$\.facility\.extra(\.a)+: JSON is nested too deeply"):
        parse_json(deep, "deep.json")
    assert parse_json('{"a": ' * 60 + "1" + "}" * 60, "ok.json").data


def test_json_path_lookup() -> None:
    doc = parse_json('{\n "o": {\n  "x": [true,\n   {"k": 1}]}}', "a.json")
    problem = doc.problem(("o", "x", 1, "k"), "bad")
    assert (problem.line, problem.column) == (4, 10)
    assert problem.path == "$.o.x[1].k"


def test_read_caps_and_encoding(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000)
    with pytest.raises(SourceProblem, match="larger than the limit"):
        read_bytes(big, "big.json", 1000)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf{}")
    assert read_bytes(bom, "bom.json", 1000) == "{}"
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(SourceProblem, match="UTF-8"):
        read_bytes(latin, "latin.json", 1000)
    with pytest.raises(SourceProblem, match="cannot read"):
        read_bytes(tmp_path / "nope.json", "nope.json", 1000)


def test_format_path() -> None:
    assert format_path(("a", 0, "b c", "d")) == '$.a[0]["b c"].d'


def test_json_number_overflow_is_refused_and_located() -> None:
    with pytest.raises(SourceProblem) as info:
        parse_json('{\n "a": [1, 1e400]}', "a.json")
    problem = info.value.problem
    assert "too large" in problem.message
    assert (problem.path, problem.line) == ("$.a[1]", 2)


_TRAPS = (
    '"a"', '"a:b"', '"\\u0061"', '"\\u003a"', '"\\ud800"', '"：', "NaN", "-Infinity", "1e400", "-0", "0.1",
    "12345678901234567890", "-9223372036854775809", "9007199254740993", "1.5e3", "true", "null",
)


@st.composite
def _json_texts(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON-like text from pieces that trip a fast parser: repeated keys, colons in strings, big numbers."""
    kind = draw(st.integers(0, 2 if depth < 3 else 0))
    if kind == 0:
        return draw(st.sampled_from(_TRAPS))
    if kind == 1:
        items = draw(st.lists(_json_texts(depth + 1), max_size=3))
        return "[" + ", ".join(items) + "]"
    keys = draw(st.lists(st.sampled_from(['"a"', '"a"', '"b"', '"\\u0061"', '"x:y"', '"\\u003A"']), max_size=4))
    members = [f"{k}: {draw(_json_texts(depth + 1))}" for k in keys]
    return "{" + ",\n ".join(members) + "}"


@settings(max_examples=600)
@given(_json_texts() | st.text(max_size=40))
def test_fast_json_path_agrees_with_the_strict_one(text: str) -> None:
    """What the fast path vouches for, the reference parser reads the same (types included)."""
    fast = _fast(text)
    if fast is _UNSURE:
        return
    data, _ = fast
    assert repr(_loads(text)) == repr(data)
    assert repr(parse_json(text, "a.json").data) == repr(data)


@pytest.mark.parametrize("text", ['{"format": 1, "standard": "x"', '{"a": "x" ', "[1, 2", '{"a": 1'])
def test_json_cut_short_is_a_syntax_error_not_a_crash(text: str) -> None:
    """The missing-comma hint used to index past the end of a text cut short (IndexError)."""
    with pytest.raises(SourceProblem, match=r"syntax error|结束"):
        parse_json(text, "cut.json")


def _outcome(parse: Callable[[], JsonDoc]) -> tuple[str, str]:
    """What a parse gives: the data (types included), or the problems it words, with positions."""
    try:
        doc = parse()
    except SourceProblem as exc:
        return "refused", "\n".join(str(p) for p in exc.problems)
    return repr(doc.data), doc.text


@settings(max_examples=600)
@given(
    st.one_of(
        _json_texts().map(lambda t: t.encode("utf-8", "surrogatepass")),
        _json_texts().map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=40),
        st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
def test_json_from_bytes_is_json_from_their_text(data: bytes) -> None:
    """Bytes the fast path takes without decoding parse as their decoded text does; bytes it does not
    (a BOM, broken UTF-8, a lone surrogate, anything unsure) are decoded and parsed as before, and are
    refused in the same words."""
    via_text = _outcome(lambda: parse_json(decode(data, "a.json", 1000), "a.json", repair=True))
    assert _outcome(lambda: parse_json_bytes(data, "a.json", 1000, repair=True)) == via_text


def test_json_from_bytes_over_the_limit_is_refused_as_too_large() -> None:
    data = b'{"a": "' + b"x" * 100 + b'"}'
    with pytest.raises(SourceProblem, match="larger than the limit of 50 bytes"):
        parse_json_bytes(data, "a.json", 50)
