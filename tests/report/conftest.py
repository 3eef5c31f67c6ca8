from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checker import Result, Standard, load_standard

from .builders import long_audit, long_standard, result_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "standards" / "fixture.yaml"
HOSTILE = '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/hostname">'


@pytest.fixture(scope="session")
def fixture_std() -> Standard:
    return load_standard(FIXTURE)


@pytest.fixture(scope="session")
def long_std() -> Standard:
    return long_standard()


@pytest.fixture(scope="session")
def failing(long_std: Standard) -> Result:
    """Not certified: failed prerequisites, missing data, many failing scored rules."""
    return result_for(long_audit(long_std, seed=1), long_std)


@pytest.fixture(scope="session")
def certified(long_std: Standard) -> Result:
    """Certified at the first level, with room to the next."""
    doc = long_audit(long_std, seed=3, good=0.65, missing=0.0, mandatory_ok=True)
    return result_for(doc, long_std)


@pytest.fixture(scope="session")
def hostile(long_std: Standard) -> Result:
    doc = long_audit(
        long_std,
        seed=3,
        good=0.75,
        missing=0.0,
        mandatory_ok=True,
        facility={
            "id": "../../etc/passwd",
            "name": "人和街" + HOSTILE,
            "address": '<a rel="attachment" href="file:///etc/os-release">x</a>',
        },
    )
    doc["assessor"]["name"] = "<style>@import url(http://127.0.0.1:9/x)</style>"
    doc["waivers"][0]["reason"] = "<script>alert(1)</script>"
    return result_for(doc, long_std)


def pdftotext(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    """Text of the PDF (poppler's pdftotext when installed, else pypdf)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    exe = shutil.which("pdftotext")
    if exe:
        args = [exe, "-enc", "UTF-8"]
        if pages:
            args += ["-f", str(pages[0]), "-l", str(pages[-1])]
        return subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout.decode()
    import pypdf

    reader = pypdf.PdfReader(path)
    chosen = [reader.pages[p - 1] for p in pages] if pages else reader.pages
    return "\n".join(page.extract_text() for page in chosen)


def element_rows(element: ET.Element, depth: int = 0) -> list[tuple[object, ...]]:
    """Every element of a tree in document order: depth, tag, attributes, text, tail."""
    rows: list[tuple[object, ...]] = [
        (depth, element.tag, dict(element.attrib), element.text, element.tail if depth else None)
    ]
    for child in element:
        rows.extend(element_rows(child, depth + 1))
    return rows
