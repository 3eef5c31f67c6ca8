"""The certificate's waiver note: every line it has is shown, and it says how many waivers there are.

The note sits in a fixed space under the facts and clips what does not fit, so
a certificate relying on two waivers with long approvers showed one and a half
and hid the rest. Laid out by WeasyPrint as the PDF is, the note's lines must
all lie inside its box, in every language, for one waiver to many.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker import Standard
from checker.report import _markup, render_pdf
from checker.report.certificate import relied_waivers

from .builders import long_audit, result_for
from .conftest import pdftotext

LONG_APPROVER = "渝中区教育委员会基建科与安全科联合审批（区儿童友好工作领导小组办公室备案）"


def _boxes(box: Any) -> Iterator[Any]:
    box = getattr(box, "_box", box)  # a positioned box stands behind its placeholder
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _certified_with(long_std: Standard, waivers: int) -> Any:
    doc = long_audit(long_std, seed=3, good=0.65, missing=0.0, mandatory_ok=True, waivers=waivers)
    for i, waiver in enumerate(doc["waivers"]):
        waiver["approved_by"] = LONG_APPROVER
        waiver["expires"] = f"2026-{7 + i % 6:02d}-{1 + i:02d}"
    result = result_for(doc, long_std)
    assert len(relied_waivers(result)) == waivers
    return result


@pytest.mark.parametrize("lang", ["zh", "en", "bilingual"])
@pytest.mark.parametrize("waivers", [1, 2, 3, 14])
def test_every_line_of_the_waiver_note_is_inside_its_box(long_std: Standard, lang: str, waivers: int) -> None:
    import weasyprint

    from checker.report.pdf import fetcher, font_config, stylesheets

    result = _certified_with(long_std, waivers)
    html = _markup(result, long_std, "certificate", lang, for_print=True)  # type: ignore[arg-type]
    document = weasyprint.HTML(string=html, url_fetcher=fetcher(), base_url=None).render(
        stylesheets=list(stylesheets("certificate")), font_config=font_config()
    )
    assert len(document.pages) == 1
    (note,) = [
        b
        for b in _boxes(document.pages[0]._page_box)
        if b.element_tag == "p" and "waivers" in (b.element.get("class") or "").split()
        and type(b).__name__ == "BlockBox"
    ]  # fmt: skip
    lines = [b for b in note.children if type(b).__name__ == "LineBox"]
    assert lines
    bottom = note.content_box_y() + note.height
    for line in lines:
        assert line.position_y + line.height <= bottom + 0.01, (lang, waivers, len(lines))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_note_too_long_to_list_says_how_many_and_where_they_are(
    long_std: Standard, lang: str, tmp_path: Path
) -> None:
    result = _certified_with(long_std, 14)
    text = " ".join(pdftotext(render_pdf(result, long_std, kind="certificate", lang=lang), tmp_path).split())  # type: ignore[arg-type]
    earliest = relied_waivers(result)[0]
    assert earliest[0] in text and earliest[1] in text
    assert (
        "等共 14 项，审批单位见评估结果" if lang == "zh" else "(14 in all); approvals: see the result"
    ) in text
