"""An independent, deliberately naive implementation of shared/spec/formats.md.

It shares no code with ``checker``: it reads the standard as plain YAML data
and follows the spec's text line by line, so that the differential test can
catch a misreading in either. Slow and simple on purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

TOL = 1e-9
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "between")


def compare(x: Any, op: str, v: Any, numeric: bool) -> bool:
    if not numeric:
        return {
            "eq": lambda: x == v,
            "ne": lambda: x != v,
            "in": lambda: x in v,
            "not_in": lambda: x not in v,
        }[op]()
    if op == "eq":
        return abs(x - v) <= TOL
    if op == "ne":
        return abs(x - v) > TOL
    if op == "gt":
        return x - v > TOL
    if op == "gte":
        return x - v >= -TOL
    if op == "lt":
        return v - x > TOL
    if op == "lte":
        return v - x >= -TOL
    if op == "in":
        return any(abs(x - e) <= TOL for e in v)
    if op == "not_in":
        return all(abs(x - e) > TOL for e in v)
    return v[0] - x <= TOL and x - v[1] <= TOL


def _date(v: Any) -> Any:
    if isinstance(v, list):
        return [_date(e) for e in v]
    return dt.date.fromisoformat(v).toordinal()


def holds(cond: dict[str, Any], obs: dict[str, Any], fields: dict[str, dict[str, Any]]) -> bool | None:
    if "all" in cond:
        parts = [holds(c, obs, fields) for c in cond["all"]]
        return False if False in parts else None if None in parts else True
    if "any" in cond:
        parts = [holds(c, obs, fields) for c in cond["any"]]
        return True if True in parts else None if None in parts else False
    if "not" in cond:
        inner = holds(cond["not"], obs, fields)
        return None if inner is None else not inner
    if "cases" in cond:  # the first case whose `when` holds decides; none holding requires nothing
        for case in cond["cases"]:
            chosen = holds(case["when"], obs, fields)
            if chosen is None:
                return None
            if chosen:
                return holds(case["require"], obs, fields) if "require" in case else True
        return True
    op = next(k for k in cond if k in OPS) if any(k in OPS for k in cond) else None
    if "count" in cond:
        parts = [holds(c, obs, fields) for c in cond["count"]]
        t, u = parts.count(True), parts.count(None)
        answers = {compare(n, op, cond[op], True) for n in range(t, t + u + 1)}  # type: ignore[arg-type]
        return answers.pop() if len(answers) == 1 else None
    if "per" in cond:
        spec = cond["per"]
        b = obs.get(spec["of"])
        if b is not None and b == 0:
            return False
        a = obs.get(spec["field"])
        if a is None or b is None:
            return None
        return compare(a / b * spec.get("per", 1), op, cond[op], True)  # type: ignore[arg-type]
    name = cond["field"]
    if "present" in cond:
        return (obs.get(name) is not None) == cond["present"]
    x = obs.get(name)
    if x is None:
        return None
    kind = fields[name]["type"]
    v = cond[op]  # type: ignore[index]
    if kind == "date":
        return compare(_date(x), op, _date(v), True)  # type: ignore[arg-type]
    return compare(x, op, v, kind in ("integer", "number"))  # type: ignore[arg-type]


def evaluate(std: dict[str, Any], audit: dict[str, Any]) -> dict[str, Any]:
    fields = {f["id"]: f for f in std.get("fields", [])}
    obs = {}
    for key, raw in audit["observations"].items():
        value = raw.get("value") if isinstance(raw, dict) else raw
        if value is not None:
            obs[key] = value
    waivers = {w["rule"]: w for w in audit.get("waivers", []) if audit["audited_on"] <= w["expires"]}
    rules = []
    for section in std["sections"]:
        for rule in section["rules"]:
            rules.append(_rule(rule, section["id"], obs, fields, waivers))
    earned = sum(r["earned"] for r in rules if not r["bonus"] and not r["mandatory"])
    possible = sum(r["possible"] for r in rules)
    bonus = sum(r["earned"] for r in rules if r["bonus"])
    cap = (std.get("scoring") or {}).get("bonus_cap_percent")
    if cap is not None:
        bonus = min(bonus, cap / 100 * possible)
    score = 0.0 if possible == 0 else min(100.0, 100 * (earned + bonus) / possible)
    sections = []
    for section in std["sections"]:
        mine = [r for r in rules if r["section"] == section["id"] and not r["bonus"]]
        e = sum(r["earned"] for r in mine if r["status"] in ("pass", "partial", "fail", "missing"))
        p = sum(r["possible"] for r in mine)
        sections.append(
            {"id": section["id"], "earned": e, "possible": p, "percent": None if p == 0 else 100 * e / p}
        )
    blocked = any(r["mandatory"] and r["status"] in ("fail", "missing") for r in rules)
    level = None
    for lv in std["levels"]:
        ok = score >= lv["min_score"] - TOL and not blocked
        floor = lv.get("min_section_percent")
        if floor is not None:
            ok = ok and all(s["percent"] is None or s["percent"] >= floor - TOL for s in sections)
        if ok:
            level = lv["id"]
    if any(r["mandatory"] and r["status"] == "fail" for r in rules):
        verdict = "not_certified"
    elif blocked:
        verdict = "incomplete"
    elif level is not None:
        verdict = "certified"
    else:
        verdict = "not_certified"
    return {"score": score, "level": level, "verdict": verdict, "sections": sections, "rules": rules}


def _rule(rule: dict[str, Any], section: str, obs: dict[str, Any], fields: dict[str, Any],
          waivers: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    points = rule.get("points", 0)
    mandatory = rule.get("mandatory", False)
    bonus = rule.get("bonus", False)
    out = {"id": rule["id"], "section": section, "mandatory": mandatory, "bonus": bonus, "earned": 0.0}
    counts = not mandatory and not bonus
    applies = holds(rule["applies_when"], obs, fields) if "applies_when" in rule else True
    if applies is False:
        return {**out, "status": "not_applicable", "possible": 0}
    if rule["id"] in waivers:
        return {**out, "status": "waived", "possible": 0}
    possible = points if counts else 0
    if applies is None:
        return {**out, "status": "missing", "possible": possible}
    if "require" in rule:
        h = holds(rule["require"], obs, fields)
        status = "missing" if h is None else "pass" if h else "fail"
        return {**out, "status": status, "possible": possible, "earned": float(points) if h else 0.0}
    credit = rule["credit"]
    if "linear" in credit:
        lin = credit["linear"]
        x = obs.get(lin["field"])
        if x is None:
            return {**out, "status": "missing", "possible": possible}
        frac = min(1.0, max(0.0, (x - lin["zero_at"]) / (lin["full_at"] - lin["zero_at"])))
        if frac >= 1 - TOL:
            return {**out, "status": "pass", "possible": possible, "earned": float(points)}
        if frac <= TOL:
            return {**out, "status": "fail", "possible": possible}
        return {**out, "status": "partial", "possible": possible, "earned": points * frac}
    states = [holds(t["when"], obs, fields) for t in credit["tiers"]]
    if None in states:
        return {**out, "status": "missing", "possible": possible}
    earned = 0.0
    for tier, state in zip(credit["tiers"], states, strict=True):
        if state:
            earned = tier["points"]
    status = "fail" if earned == 0 else "pass" if earned >= points - TOL else "partial"
    return {**out, "status": status, "possible": possible, "earned": float(earned)}


def resolve_uses(std: dict[str, Any], common: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The standard with its ``uses:`` written out, read from docs/formats.md's words, not the checker.

    ``common`` maps an item id to the fragment as plain YAML data. A rule key mapped to an
    object overrides what it names: ``mandatory``, ``points``, ``applies_when`` (ANDed with
    the item's own), and ``ref``/``source`` (the standard's own citation replaces the item's).
    """
    import copy

    out = copy.deepcopy(std)
    out.setdefault("fields", [])
    out.setdefault("references", [])
    for use in out.pop("uses", []) or []:
        item = common[use["common"]]
        values = {k: p["default"] for k, p in item.get("parameters", {}).items()}
        values.update(use.get("with", {}))

        params = item.get("parameters", {})

        def put(node: Any, values: dict[str, Any] = values, params: dict[str, Any] = params) -> Any:
            return _put(node, values, params)

        for ref in put(item.get("references", [])):
            if ref["id"] not in [r["id"] for r in out["references"]]:
                out["references"].append(ref)
        for field in put(item.get("fields", [])):
            if field["id"] not in [f["id"] for f in out["fields"]]:
                out["fields"].append(field)
        new = []
        for rule in put(item["rules"]):
            target = use["rules"][rule.pop("key")]
            adjust = {"id": target} if isinstance(target, str) else dict(target)
            rule["id"] = adjust.pop("id")
            if adjust.get("mandatory") is True:
                for k in ("points", "credit", "bonus"):
                    rule.pop(k, None)
            if adjust.get("mandatory") is False:
                rule.pop("mandatory", None)
                adjust.pop("mandatory")
            if "applies_when" in adjust and "applies_when" in rule:
                adjust["applies_when"] = {"all": [rule["applies_when"], adjust["applies_when"]]}
            rule.update(adjust)
            new.append(rule)
        section = next(s for s in out["sections"] if s["id"] == use["section"])
        ids = [r["id"] for r in section["rules"]]
        at = len(ids)
        if "after" in use:
            at = ids.index(use["after"]) + 1
        if "before" in use:
            at = ids.index(use["before"])
        section["rules"][at:at] = new
    return out


def _put(node: Any, values: dict[str, Any], params: dict[str, Any]) -> Any:
    """A fragment's node with each ``{param: k}`` and ``{k}`` replaced by the parameter's value."""
    import re

    def text(k: str) -> str:
        p = params[k]
        return f"{values[k]:.{p['decimals']}f}" if "decimals" in p else f"{values[k]:g}"

    if isinstance(node, dict) and list(node) == ["param"]:
        return values[node["param"]]
    if isinstance(node, dict):
        return {k: _put(v, values, params) for k, v in node.items()}
    if isinstance(node, list):
        return [_put(v, values, params) for v in node]
    if isinstance(node, str):
        return re.sub(r"\{([a-z][a-z0-9_]*)\}", lambda m: text(m.group(1)), node)
    return node
