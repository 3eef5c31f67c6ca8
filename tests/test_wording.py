"""Reasons worded in both languages at once (``core.wording``) say letter for letter what
each condition node's own ``explain`` says, on every node of every shipped rule and of random
standards, for the values met first (kept) and those met after the memos are full (and, where
the node holds, its words for values known to make it hold); the unknown fields a
missing-data reason names are each node's own ``unknown_fields``."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import Catalog, parse_audit
from checker.core.compiled import CompiledRule, compile_standard
from checker.core.conditions import Condition
from checker.core.wording import holding, unknowns, words
from tests.district.generate import bases, vary

from .strategies import build, observations, standard_doc
from .test_properties import _audit

CATALOG = Catalog.discover(environment=False)


def _nodes(node: Condition | None) -> Iterator[Condition]:
    if node is None:
        return
    yield node
    for part in getattr(node, "parts", None) or ():
        yield from _nodes(part)
    yield from _nodes(getattr(node, "part", None))


def _rule_nodes(cr: CompiledRule) -> list[Condition]:
    return [n for top in (cr.applies, cr.require, *(w for _, w in cr.tiers or ())) for n in _nodes(top)]


def _same(nodes: list[Condition], values: list[Mapping[str, Any]]) -> int:
    compared = 0
    for node in nodes:
        held = holding(node, {})
        for obs in values:
            if node.evaluate(obs) is True:  # as for a rule that passed or a tier reached
                assert held(obs) == (node.explain(obs, "zh"), node.explain(obs, "en")), dict(obs)
        missing = unknowns(node)
        for obs in values:
            assert missing(obs) == node.unknown_fields(obs), (type(node).__name__, dict(obs))
        for plain in (False, True):
            said = words(node, plain)
            for obs in values:
                want = (node.explain(obs, "zh", plain), node.explain(obs, "en", plain))
                assert said(obs) == want, (type(node).__name__, plain, dict(obs))
                assert said(obs) == want  # the kept pair
                compared += 1
    return compared


def test_shipped_rules_word_alike() -> None:
    rng = random.Random(11)
    compared = 0
    for standard_id, docs in sorted(bases().items()):
        standard = CATALOG.get(standard_id)
        values = []
        for _ in range(150):  # more values than a comparison keeps, so the memos fill up
            doc = vary(rng.choice(docs), standard, rng, change=0.5)
            values.append(parse_audit(json.dumps(doc, ensure_ascii=False), CATALOG, "a.json").values)
        nodes = [n for cr in compile_standard(standard).rules for n in _rule_nodes(cr)]
        compared += _same(nodes, values)
    assert compared > 10_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_rules_word_alike(data: st.DataObject) -> None:
    doc = data.draw(standard_doc())
    standard = build(doc)
    raw = [data.draw(observations(doc)) for _ in range(3)]
    catalog = Catalog([standard])
    values = [parse_audit(_audit(doc, obs), catalog, "p.json").values for obs in raw]
    _same([n for cr in compile_standard(standard).rules for n in _rule_nodes(cr)], values)
