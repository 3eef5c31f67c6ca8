"""The content hash is of the same bytes whichever writer made them (history rows keep old hashes)."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.district.digest import _may_differ, canonical_bytes

_numbers = (
    st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e-5, 5e-05, 1e-7, 1e-4, 0.00012, 1e16, 1.5e16, 1e300, 5e-324, -0.0, 0.1 + 0.2])
)
_values = st.recursive(
    st.none()
    | st.booleans()
    | _numbers
    | st.text(max_size=6)
    | st.sampled_from(["\ud800", "\x7f", "\u2028", "中"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300)
@given(_values)
def test_canonical_bytes_are_what_json_dumps_writes(data: Any) -> None:
    expected = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert canonical_bytes(data) == expected.encode("utf-8", "surrogatepass")


@settings(max_examples=300)
@given(st.binary(max_size=30) | st.lists(st.sampled_from([b"e-", b"0", b"7", b".", b"0.0000", b"x", b"e"])).map(b"".join))
def test_fast_path_test_is_the_pattern_it_replaced(text: bytes) -> None:
    """Byte searches find what ``[0-9]e-|0\\.0000`` finds, and nothing else."""
    assert _may_differ(text) == (re.search(rb"[0-9]e-|0\.0000", text) is not None)
