"""report.textfast: WeasyPrint's text layouts with shared contexts, kept for drawing, same PDFs."""

from __future__ import annotations

import hashlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from checker import Result, Standard
from checker.report import render_pdf, textfast

pytestmark = pytest.mark.pdf
ROOT = Path(__file__).resolve().parents[2]

# WeasyPrint 70.0's Layout methods that textfast replaces (setup is copied, with one change):
# when WeasyPrint changes them, textfast must be read against the new code.
SOURCES = {
    "setup": "fb227a55094f41d4",
    "deactivate": "bfec3ec8406e1c82",
    "reactivate": "0b89ee097104b713",
}


def test_written_against_this_weasyprint() -> None:
    import weasyprint

    assert weasyprint.__version__ == textfast.WEASYPRINT, "check report/textfast.py against it"
    assert textfast.install() and textfast.installed()
    for name, digest in SOURCES.items():
        source = inspect.getsource(textfast._ORIGINAL[name])
        assert hashlib.sha256(source.encode()).hexdigest()[:16] == digest, name


_WITHOUT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from checker.report import textfast
textfast.install = lambda: False
from tests.report.builders import long_audit, long_standard, result_for
from checker.report import render_pdf
standard = long_standard()
failing = result_for(long_audit(standard, seed=1), standard)
certified = result_for(long_audit(standard, seed=3, good=0.65, missing=0.0, mandatory_ok=True), standard)
for result, kind in ((failing, "gap"), (certified, "certificate")):
    for lang in ("zh", "en", "bilingual"):
        pdf = render_pdf(result, standard, kind=kind, lang=lang)
        Path({out!r}, f"{{kind}}-{{lang}}.pdf").write_bytes(pdf)
assert not textfast.installed()
"""


def test_same_pdfs_as_weasyprint_alone(
    failing: Result, certified: Result, long_std: Standard, tmp_path: Path
) -> None:
    """Gap report and certificate in every language, byte for byte, against a process where
    WeasyPrint keeps its own text layouts."""
    subprocess.run(
        [sys.executable, "-c", _WITHOUT.format(root=str(ROOT), out=str(tmp_path))], check=True, timeout=600
    )
    assert textfast.installed() or textfast.install()
    for result, kind in ((failing, "gap"), (certified, "certificate")):
        for lang in ("zh", "en", "bilingual"):
            ours = render_pdf(result, long_std, kind=kind, lang=lang)  # type: ignore[arg-type]
            assert textfast.installed()
            assert ours == (tmp_path / f"{kind}-{lang}.pdf").read_bytes(), (kind, lang)
