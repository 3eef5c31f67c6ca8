"""A long standard and audits against it, generated, for multi-page gap reports.

Nothing here depends on the real standards in ``standards/`` (still being
written): the standard is built in code, validated by the real loader, and
audits are built so that a chosen share of rules fails, is partial or is
missing.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from checker import Catalog, Result, Standard, check, parse_audit, parse_standard

STANDARD_ID = "test-long"

SECTION_NAMES = [
    ("safety", "安全保障", "Safety and security"),
    ("space", "空间环境", "Space and environment"),
    ("service", "服务设施", "Services and amenities"),
    ("health", "健康卫生", "Health and hygiene"),
    ("play", "游戏与学习", "Play and learning"),
    ("access", "无障碍与交通", "Access and transport"),
    ("culture", "文化与参与", "Culture and participation"),
    ("manage", "运营管理", "Operation and management"),
]
TOPICS = [
    ("防护栏杆高度符合要求", "Guard railing height meets the requirement"),
    ("地面铺装具备缓冲性能", "Surfacing absorbs impact"),
    ("出入口设置儿童安全提示", "Entrances carry child-safety signs"),
    ("母婴室配置齐全并保持清洁", "Nursing room equipped and kept clean"),
    ("儿童尺度洗手台数量充足", "Enough child-height wash basins"),
    ("遮荫覆盖率达到标准", "Shade coverage reaches the target"),
    ("噪声水平控制在限值以内", "Noise kept under the limit"),
    ("儿童议事会定期召开", "Children's council meets regularly"),
    ("无障碍通道连续贯通", "Step-free route is continuous"),
    ("应急预案每年演练", "Emergency plan rehearsed every year"),
    ("饮水点分布合理", "Drinking water points well distributed"),
    ("照明照度满足夜间使用", "Lighting sufficient for evening use"),
    ("游戏设施定期检查维护", "Play equipment inspected and maintained"),
    ("安全员在岗巡查", "Safety staff on patrol"),
]
REMEDIATION_ZH = "按规范要求整改后重新测量并拍照留存，整改完成后报街道儿童友好办公室复核。"
REMEDIATION_EN = (
    "Bring it into line with the code, measure again and keep photographs; "
    "report to the sub-district child-friendly office for re-inspection."
)


def long_standard_yaml(sections: int = 8, rules_per_section: int = 14) -> str:
    """A valid standard with mandatory, scored (require/linear/tiers), bonus and local rules."""
    fields: list[dict[str, Any]] = []
    secs: list[dict[str, Any]] = []
    n = 0
    for si in range(sections):
        sid, zh, en = SECTION_NAMES[si % len(SECTION_NAMES)]
        sid = f"{sid}{si // len(SECTION_NAMES) or ''}"
        rules: list[dict[str, Any]] = []
        for ri in range(rules_per_section):
            n += 1
            fid = f"f{n:03d}"
            tz, te = TOPICS[(si * 3 + ri) % len(TOPICS)]
            evidence = ("photo", "document", "measurement")[n % 3]
            fields.append(
                {
                    "id": fid,
                    "label": {"zh": f"{tz}（指标{n}）", "en": f"{te} (item {n})"},
                    "type": "number",
                    "unit": "%",
                    "min": 0,
                    "max": 100,
                    "evidence": evidence,
                }
            )
            rule: dict[str, Any] = {
                "id": f"L-{sid[:3].upper()}-{ri + 1:02d}",
                "title": {"zh": tz, "en": te},
                "remediation": {"zh": REMEDIATION_ZH, "en": REMEDIATION_EN},
            }
            if ri % 5 == 4:
                rule["source"] = {"status": "S"}
            elif ri % 7 == 6:
                rule["source"] = {"status": "M"}
                rule["ref"] = {"doc": "GB50099", "clause": f"{si + 1}.{ri + 1}"}
            else:
                rule["ref"] = {
                    "doc": "GB50099" if ri % 2 else "JGJ",
                    "clause": f"{si + 1}.{ri + 1}.{n % 4 + 1}",
                }
                rule["source"] = {"status": "R"}
            if ri < 2:
                rule["mandatory"] = True
                rule["require"] = {"field": fid, "gte": 50}
            elif ri == rules_per_section - 1:
                rule["points"] = 2
                rule["bonus"] = True
                rule["require"] = {"field": fid, "gte": 90}
            elif ri % 4 == 1:
                rule["points"] = 6
                rule["credit"] = {"linear": {"field": fid, "zero_at": 20, "full_at": 80}}
            elif ri % 4 == 3:
                rule["points"] = 4
                rule["credit"] = {
                    "tiers": [
                        {"points": 2, "when": {"field": fid, "gte": 40}},
                        {"points": 4, "when": {"field": fid, "gte": 70}},
                    ]
                }
            else:
                rule["points"] = 2 + (ri % 3)
                rule["require"] = {"field": fid, "gte": 60}
            rules.append(rule)
        secs.append({"id": sid, "title": {"zh": zh, "en": en}, "rules": rules})
    doc = {
        "format": 1,
        "id": STANDARD_ID,
        "version": "2026.1",
        "facility_type": "park",
        "title": {
            "zh": "渝中区儿童友好公园建设指引（测试）",
            "en": "Yuzhong child-friendly park guideline (test)",
        },
        "issuer": {
            "zh": "渝中区儿童友好城市建设工作领导小组办公室",
            "en": "Yuzhong Child-Friendly City Office",
        },
        "effective": "2026-01-01",
        "validity_years": 3,
        "references": [
            {
                "id": "GB50099",
                "code": "GB 50099-2011",
                "title": {"zh": "中小学校设计规范", "en": "Code for design of schools"},
            },
            {
                "id": "JGJ",
                "code": "JGJ 39-2016",
                "title": {
                    "zh": "托儿所、幼儿园建筑设计规范",
                    "en": "Code for design of nursery and kindergarten buildings",
                },
            },
        ],
        "scoring": {"bonus_cap_percent": 10},
        "levels": [
            {"id": "compliant", "label": {"zh": "达标", "en": "Compliant"}, "min_score": 60},
            {
                "id": "exemplary",
                "label": {"zh": "示范", "en": "Exemplary"},
                "min_score": 80,
                "min_section_percent": 60,
            },
        ],
        "fields": fields,
        "sections": secs,
    }
    return json.dumps(doc, ensure_ascii=False)  # JSON is YAML


def long_standard(sections: int = 8, rules_per_section: int = 14) -> Standard:
    return parse_standard(long_standard_yaml(sections, rules_per_section), "<test-long>")


def long_audit(
    standard: Standard,
    *,
    seed: int = 1,
    good: float = 0.45,
    missing: float = 0.08,
    name: str = "渝中区人和街儿童友好公园",
    mandatory_ok: bool = False,
    facility: dict[str, Any] | None = None,
    waivers: int = 2,
) -> dict[str, Any]:
    """An audit: each field high (passes) with probability ``good``, absent with ``missing``."""
    rng = random.Random(seed)
    obs: dict[str, Any] = {}
    rule_of = {}
    for section in standard.sections:
        for rule in section.rules:
            fid = _field_of(rule)
            rule_of[fid] = rule
    for f in standard.fields:
        rule = rule_of[f.id]
        if mandatory_ok and rule.mandatory:
            obs[f.id] = 95
            continue
        roll = rng.random()
        if roll < missing:
            continue
        if roll < missing + good:
            obs[f.id] = {"value": rng.choice([85, 92, 100]), "evidence": [f"photos/{f.id}.jpg"]}
        else:
            obs[f.id] = rng.choice([10, 30, 45, 55])
    scored = [r.id for s in standard.sections for r in s.rules if not r.mandatory][:waivers]
    doc = {
        "format": 1,
        "standard": standard.id,
        "standard_version": standard.version,
        "facility": facility
        or {"id": "YZ-PRK-012", "name": name, "address": "重庆市渝中区人和街 88 号", "street": "七星岗街道"},
        "assessor": {"name": "李评估", "organisation": "渝中区儿童友好建设评估中心"},
        "audited_on": "2026-05-12",
        "observations": obs,
        "waivers": [
            {
                "rule": rid,
                "reason": "设施改造施工期间暂停开放 / closed for works",
                "approved_by": "渝中区儿童友好办 王主任",
                "expires": "2026-12-31",
            }
            for rid in scored
        ],
    }
    return doc


def _field_of(rule: Any) -> str:
    if rule.require is not None:
        return str(rule.require["field"])
    if rule.credit.linear is not None:
        return str(rule.credit.linear.field)
    return str(rule.credit.tiers[0].when["field"])


def result_for(doc: dict[str, Any], standard: Standard, path: str = "audit.json") -> Result:
    catalog = Catalog([standard])
    audit = parse_audit(json.dumps(doc, ensure_ascii=False).encode(), catalog, path)
    return check(audit, catalog)


def write_json(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
