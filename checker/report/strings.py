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
    "kindergarten": ("儿童友好校园", "Child-friendly campus"),
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
    "waivers_more": (
        "等共 {n} 项，审批单位见评估结果",
        "and {more} more ({n} in all); approvals: see the result",
    ),
    "waivers_see_result": ("审批单位见评估结果", "approvals: see the result"),
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
    "none": ("未达等级", "No level reached"),
    "issuer": ("发布单位", "Issuer"),
    # verdicts and statuses (same words as the terminal summary)
    "certified": ("已认定", "Certified"),
    "not_certified": ("未通过认定", "Not certified"),
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
    # gap report: page 1 in words
    "assessment_report": ("儿童友好建设评估报告", "Child-Friendly Facility Assessment Report"),
    "where_h": ("现状", "Where the facility stands"),
    "why_h": ("原因", "Why"),
    "what_h": ("如何达到", "What it takes"),
    "stand_certified": (
        "已认定为“{level}”等级，得分 {score}。",
        "Certified at the {level} level, with a score of {score}.",
    ),
    "stand_top": ("这是本标准的最高等级。", "This is the highest level of the standard."),
    "stand_blocked": (
        "得分 {score} 已满足“{level}”等级的得分要求，但控制项未全部通过，因此{verdict}、不能定级。",
        "The score of {score} meets the {level} level's score requirement, but not every prerequisite "
        "passes, so the facility is {verdict} and has no level.",
    ),
    "stand_below": (
        "得分 {score}，尚未满足任何等级的要求，{verdict}。",
        "The score of {score} does not yet meet any level's requirements: {verdict}.",
    ),
    "stand_incomplete": (
        "有控制项缺少证据，补齐后才能作出认定。",
        "A prerequisite lacks evidence; the designation is decided once it is supplied.",
    ),
    "why_failing": ("控制项不通过（{n} 项）：", "Prerequisites not met ({n}): "),
    "why_owed": ("控制项缺少数据（{n} 项）：", "Prerequisites without evidence ({n}): "),
    "why_score": (
        "得分比“{level}”等级的最低得分 {min} 低 {short}",
        "The score is {short} below the {level} minimum of {min}",
    ),
    "why_section": (
        "分项“{section}”得分率 {pct}%，低于“{level}”等级要求的 {floor}%",
        'Section "{section}" scores {pct} %, below the {level} floor of {floor} %',
    ),
    "why_top": (
        "所有控制项均已通过，得分与分项得分率均满足最高等级。",
        "Every prerequisite passes; the score and every section meet the highest level.",
    ),
    "what_target": (
        "最近可达等级：“{level}”，需完成 {n} 项：",
        "Nearest level within reach: {level}, with {n} actions: ",
    ),
    "part_fix": ("整改控制项 {n} 项", "fix {n} prerequisites"),
    "part_evidence": ("补充证据 {n} 项", "supply evidence for {n}"),
    "part_scored": ("完成评分项 {n} 项", "complete {n} scored items"),
    "full_stop": ("。", "."),
    "what_projected": ("完成后预计得分 {score}。", "The projected score is then {score}."),
    "what_only_prereq": (
        "得分已满足该等级，不需要另外提高得分。",
        "The score already meets this level; no further points are needed.",
    ),
    "what_beyond": ("再完成 {n} 项可达到“{level}”等级。", "{n} more actions reach the {level} level."),
    "what_beyond_no": (
        "“{level}”等级无法仅通过现有评分项达到。",
        "The {level} level cannot be reached through the scored items that apply.",
    ),
    "what_unreachable": (
        "仅靠适用的评分项无法达到任何等级，请与评估机构联系。",
        "No level can be reached through the scored items that apply; contact the assessing body.",
    ),
    "what_top": (
        "无需整改。请在认定有效期届满（{date}）前申请重新评估。",
        "Nothing needs fixing. Apply for a new audit before the designation expires ({date}).",
    ),
    "deadline_h": ("整改期限", "Deadline"),
    "reaudit_h": ("复评", "Re-audit"),
    "deadline_prereq": (
        "控制项须在 {date} 前整改完成（评估后 {days} 日内）",
        "prerequisites fixed by {date} ({days} days after the audit)",
    ),
    "deadline_rest": ("其余事项在复评前完成", "everything else before the re-audit"),
    "reaudit_by": (
        "整改完成后申请复评，最迟 {date}（评估后 {days} 日内）",
        "apply once the fixes are done, by {date} at the latest ({days} days after the audit)",
    ),
    "reaudit_optional": (
        "如需提升等级，完成下列事项后可申请复评，建议在 {date} 前（评估后 {days} 日内）",
        "to reach a higher level, apply for a re-audit once the items below are done, ideally by {date} "
        "({days} days after the audit)",
    ),
    "why_level_fix": ("控制项 {n} 项不通过", "{n} prerequisites not met"),
    "why_level_owed": ("控制项 {n} 项缺数据", "{n} prerequisites lack evidence"),
    "why_level_score": ("得分差 {short}", "score short by {short}"),
    "why_level_sections": ("{n} 个分项未达最低得分率", "{n} sections below the floor"),
    "chart_legend": (
        "分项得分率：绿色 ≥ 80%，橙色 50%–80%，红色 < 50%；红色虚线为等级要求的分项最低得分率。",
        "Section bars: green ≥ 80 %, orange 50–80 %, red < 50 %; "
        "red dashed lines are the levels' section floors.",
    ),
    # gap report: action list
    "actions_needed": ("达到“{level}”等级须完成的事项", "What the {level} level needs"),
    "actions_prereq": ("须整改的控制项", "Prerequisites to fix"),
    "actions_optional": ("其他可提升的事项（可选）", "Other improvements (optional)"),
    "requirement_h": ("要求", "Required"),
    "found_h": ("评估发现", "Found"),
    "provide": ("需提供", "Provide"),
    "due_h": ("期限与责任", "Due · who"),
    "dl_days": ("{days} 日内", "within {days} days"),
    "dl_reaudit": ("复评前", "before the re-audit"),
    "dl_renovation": ("下次改造时", "at the next renovation"),
    "not_counted": ("不计分", "not counted"),
    # gap report
    "sections_chart": ("分项得分率", "Section scores"),
    "score_vs_levels": ("得分与等级门槛", "Score against level thresholds"),
    "photo": ("照片", "photo"),
    "document": ("文件", "document"),
    "measurement": ("测量记录", "measurement"),
    "actions": ("整改清单（按优先级）", "Action list, in priority order"),
    "actions_intro": (
        "先整改不通过的控制项（红色），再补齐控制项的证据（橙色），然后按可挽回分值从高到低处理评分项（蓝色）。"
        "“分”是条目的分值，得分按 100 分制折算。",
        "Fix failed prerequisites first (red), then supply the evidence prerequisites lack (orange), then "
        "scored items by the points they recover (blue). Points are the item's own; the score is out of 100.",
    ),
    "priority": ("序", "#"),
    "rule": ("条目", "Rule"),
    "observed": ("评估发现与要求", "Observed against required"),
    "reference": ("依据条款", "Reference"),
    "remediation": ("整改建议", "Remediation"),
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
        "“本地规则”是渝中区根据本地情况提出的要求，不是国家或行业标准的条文。",
        "“Local rule” marks a requirement the district sets for itself, not a clause of a national or "
        "sector code.",
    ),
    "generated": (
        "本报告由 tongcheck 根据评估结果自动生成，评估结果（result.json）附于本文件内。",
        "Generated by tongcheck from the audit result; the result (result.json) is attached to this file.",
    ),
}


def string(key: str, lang: Lang) -> str:
    zh, en = STRINGS[key]
    return zh if lang == "zh" else en
