"""Every fixed word the reports print, in Chinese and English.

Status and verdict words are the ones the terminal summary uses
(``checker.output.UI``), so a facility owner reads the same term on screen
and on paper.
"""

from __future__ import annotations

from checker.core.text import Lang

__all__ = ["DESIGNATIONS", "STRINGS", "string"]

# The designation a facility type earns when its standard names none (`designation:` in
# the standard overrides): the plan's own words, 儿童友好 + the place.
DESIGNATIONS: dict[str, tuple[str, str]] = {
    "school": ("儿童友好校园", "Child-friendly campus"),
    "hospital": ("儿童友好医院", "Child-friendly hospital"),
    "park": ("儿童友好公园", "Child-friendly park"),
    "scenic_spot": ("儿童友好景区", "Child-friendly scenic area"),
    "commercial": ("儿童友好商圈", "Child-friendly commercial district"),
    "community": ("儿童友好社区", "Child-friendly community"),
    "route": ("儿童友好出行路径", "Child-friendly route"),
    "cultural_venue": ("儿童友好文化场馆", "Child-friendly cultural venue"),
    "study_base": ("儿童友好研学基地", "Child-friendly study base"),
}

STRINGS: dict[str, tuple[str, str]] = {
    # documents
    "certificate": ("儿童友好认定证书", "Child-Friendly Designation Certificate"),
    "gap_report": ("儿童友好建设评估差距报告", "Child-Friendly Facility Gap Report"),
    "programme": ("渝中区儿童友好城市建设", "Yuzhong District · Child-Friendly City"),
    "certify_intro": ("兹证明", "This is to certify that"),
    "certify_body": ("经评估，符合", "has been assessed against"),
    "certify_level": ("达到以下等级要求", "and meets the requirements of the level"),
    "issued_under": ("依据", "Issued under"),
    # fields
    "facility": ("设施", "Facility"),
    "facility_id": ("设施编号", "Facility ID"),
    "address": ("地址", "Address"),
    "street": ("街道", "Sub-district"),
    "standard": ("评估标准", "Standard"),
    "version": ("版本", "Version"),
    "audited_on": ("评估日期", "Audit date"),
    "assessor": ("评估人", "Assessor"),
    "organisation": ("评估机构", "Organisation"),
    "valid": ("有效期", "Valid"),
    "valid_from": ("自", "from"),
    "valid_until": ("至", "until"),
    "cert_no": ("证书编号", "Certificate No."),
    "verify": ("扫码核验", "Scan to verify"),
    "verify_how": (
        "用手机扫码，或访问 {site} 输入证书编号，即可核验本证书是否真实、有效。",
        "Scan the code, or visit {site} and enter the certificate number, to check that this "
        "certificate is genuine and still valid.",
    ),
    "verify_offline": ("离线核验：check verify 本文件", "Offline: check verify this file"),
    "designated_as": ("经评估，符合《{title}》（{version}）要求，认定为", "has been assessed against {title} "
                      "({version}) and is designated"),
    "issuer_label": ("发证单位", "Issued by"),
    "org_assessor": ("评估机构 · 评估人", "Organisation · Assessor"),
    "issued_on": ("发证日期", "Date of issue"),
    "valid_through": ("有效期至", "Valid until"),
    "signed_by": ("电子签名", "Signed electronically"),
    "seal": ("盖章处", "Seal"),
    "specimen": ("未签名样张", "Unsigned specimen"),
    "specimen_note": (
        "未签名样张：无电子签名，不能核验，不作认定凭证。",
        "Unsigned specimen: not signed, cannot be verified, not proof of designation.",
    ),
    "waiver_note": (
        "本认定依据以下豁免，有效期截至其中最早到期日：",
        "This designation relies on these waivers; it is valid until the earliest expires:",
    ),
    "score": ("得分", "Score"),
    "level": ("等级", "Level"),
    "verdict": ("结论", "Verdict"),
    "threshold": ("门槛", "Threshold"),
    "min_score": ("最低得分", "Minimum score"),
    "section_floor": ("分项最低得分率", "Section floor"),
    "reached": ("已达到", "reached"),
    "not_reached": ("未达到", "not reached"),
    "short_by": ("差", "short by"),
    "points_unit": ("分", "pts"),
    "none": ("未达等级", "none"),
    "issuer": ("发布单位", "Issuer"),
    # verdicts and statuses (same words as the terminal summary)
    "certified": ("已认证", "Certified"),
    "not_certified": ("未通过认证", "Not certified"),
    "incomplete": ("待补证", "Incomplete (evidence owed)"),
    "fail": ("不通过", "fail"),
    "missing": ("缺数据", "missing"),
    "partial": ("部分得分", "partial"),
    "pass": ("通过", "pass"),
    "waived": ("豁免", "waived"),
    "not_applicable": ("不适用", "n/a"),
    "mandatory": ("控制项", "prerequisite"),
    "bonus": ("加分项", "bonus"),
    "scored": ("评分项", "scored"),
    "local_rule": ("本地规则", "local rule"),
    "unverified": ("出处待核实", "citation unverified"),
    "no_ref": ("无出处", "no reference"),
    # gap report
    "cover_title": ("评估结论", "Assessment summary"),
    "sections_chart": ("分项得分率", "Section scores"),
    "score_vs_levels": ("得分与等级门槛", "Score against level thresholds"),
    "next_level": ("达到下一等级需要做什么", "What it takes to reach the next level"),
    "target": ("目标等级", "Target level"),
    "top_reached": (
        "已达到本标准的最高等级，无需进一步整改。",
        "The highest level of this standard is reached; nothing more is required.",
    ),
    "fix_mandatory": ("须整改的控制项", "Prerequisites to fix"),
    "supply_evidence": ("须补充的证据", "Evidence to supply"),
    "scored_rules": ("最少需完成的评分项", "Fewest scored rules that close the gap"),
    "points_needed": ("尚差", "Points needed"),
    "score_needed": ("得分尚差", "Score short by"),
    "projected": ("完成后预计得分", "Projected score"),
    "score_met": (
        "得分与分项得分率已满足该等级，只需处理上述控制项。",
        "Score and section floors already meet this level; only the prerequisites above remain.",
    ),
    "unreachable": (
        "没有可计分的适用条目，无法通过评分项达到该等级。",
        "No scored rule applies, so the level cannot be reached through points.",
    ),
    "nothing": ("无", "None"),
    "higher_levels": ("更高等级", "Higher levels"),
    "rules_count": ("条", "rules"),
    "section_short": ("分项未达最低得分率", "Section below its floor"),
    "evidence_kinds": ("证据类型", "Evidence"),
    "photo": ("照片", "photo"),
    "document": ("文件", "document"),
    "measurement": ("测量记录", "measurement"),
    "actions": ("整改清单（按优先级）", "Action list, in priority order"),
    "actions_intro": (
        "先整改不通过的控制项，再补齐控制项的证据，然后按可挽回分值从高到低处理评分项。",
        "Fix failed prerequisites first, then supply the evidence prerequisites lack, "
        "then scored rules by the points they recover.",
    ),
    "no_actions": ("没有需要处理的条目。", "Nothing to act on."),
    "priority": ("序", "#"),
    "rule": ("条目", "Rule"),
    "observed": ("评估发现与要求", "Observed against required"),
    "reference": ("依据条款", "Reference"),
    "remediation": ("整改建议", "Remediation"),
    "recoverable": ("可挽回", "Gain"),
    "score_gain": ("得分提升", "Score gain"),
    "in_plan": ("下一等级所需", "needed for next level"),
    "no_remediation": ("见标准条文", "see the standard"),
    "appendix_rules": ("附录 A　全部条目", "Appendix A. Every rule"),
    "appendix_waivers": ("附录 B　豁免", "Appendix B. Waivers"),
    "appendix_refs": ("附录 C　引用文件", "Appendix C. Documents cited"),
    "notes": ("说明", "Notes"),
    "section": ("分项", "Section"),
    "status": ("状态", "Status"),
    "points": ("得分/分值", "Points"),
    "reason": ("原因", "Reason"),
    "approved_by": ("批准人", "Approved by"),
    "expires": ("有效期至", "Expires"),
    "no_waivers": ("本次评估无豁免。", "No waivers in this audit."),
    "warnings": ("提示", "Warnings"),
    "code": ("编号", "Code"),
    "title": ("名称", "Title"),
    "percent": ("得分率", "Percent"),
    "earned_possible": ("得分/可得", "Earned / possible"),
    "bonus_line": ("加分（已计入，受上限约束）", "Bonus (counted, within the cap)"),
    "result_hash": ("结果摘要", "Result hash"),
    "method": (
        "得分 = 100 × (评分项得分 + 加分) ÷ 适用评分项总分，最高 100；"
        "控制项不计分，但任一不通过或缺数据即不能评级。",
        "Score = 100 × (points earned + bonus) ÷ points possible, at most 100. Prerequisites earn no "
        "points, but any one failed or undecided blocks every level.",
    ),
    "local_note": (
        "“本地规则”指渝中区的本地要求或尚未核实出处的条目，并非国家或行业标准条文。",
        "“Local rule” marks a district requirement or an unverified citation, not a clause of a "
        "national or sector code.",
    ),
    "page": ("第 {page} 页 / 共 {pages} 页", "Page {page} of {pages}"),
    "generated": (
        "本报告由 tongcheck 根据评估结果自动生成，评估结果（result.json）附于本文件内。",
        "Generated by tongcheck from the audit result; the result (result.json) is attached to this file.",
    ),
}


def string(key: str, lang: Lang) -> str:
    zh, en = STRINGS[key]
    return zh if lang == "zh" else en
