"""Reports for facility owners: the certificate and the gap report, as PDF or HTML.

::

    from checker.report import render_pdf, write_report

    pdf = render_pdf(result, standard, kind="gap", lang="bilingual")
    write_report(result, standard, Path("out/"), kind="auto")   # → [out/<facility>_<std>_gap-report.pdf]

* ``kind``: ``certificate`` (one A4 landscape page; only for a certified
  result), ``gap`` (A4 portrait: verdict, plan to the next level, action
  list, appendix), ``auto`` (certificate when certified, else gap) or
  ``both`` (both when certified, else the gap report).
* ``lang``: ``zh``, ``en`` or ``bilingual``.
* PDFs are PDF/A-3b with the result JSON attached as ``result.json``; files
  are written atomically.
* ``issue``: an :class:`~checker.report.issue.Issue` with the signing key
  (then every PDF carries a PAdES signature and the certificate's QR a signed
  payload), the issue date and the verification address. Without a key a
  certificate is an unsigned specimen (未签名样张).

Importing this package is cheap: jinja2 is imported on first render and
WeasyPrint only when a PDF is made.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from checker.core.errors import CheckerError, Interrupted, Problem
from checker.report.errors import ReportError

if TYPE_CHECKING:
    from markupsafe import Markup

    from checker.core.result import Result
    from checker.core.standard import Standard
    from checker.report.batch import BatchItem, Job
    from checker.report.issue import Issue

__all__ = [
    "Kind",
    "ReportError",
    "ReportLang",
    "is_directory_target",
    "kinds_for",
    "render_html",
    "render_pdf",
    "report_filename",
    "sign_document",
    "write_report",
    "write_reports",
]

Kind = Literal["certificate", "gap"]
KindOption = Literal["auto", "certificate", "gap", "both"]
ReportLang = Literal["zh", "en", "bilingual"]
Fmt = Literal["pdf", "html"]

_KINDS = ("certificate", "gap")
_LANGS = ("zh", "en", "bilingual")
_FILE_WORD = {"certificate": "certificate", "gap": "gap-report"}
_SUFFIXES = {".pdf", ".html", ".htm"}
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_WEB_FONTS = (
    'html, .sans { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", sans-serif; }\n'
    '.serif { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", '
    '"SimSun", serif; }\n'
)


def _usage(message: str, hint: str = "") -> ReportError:
    return ReportError([Problem("<report>", message, hint=hint)])


def _check_args(result: Result, kind: str, lang: str) -> None:
    if kind not in _KINDS:
        raise _usage(f"unknown report kind {kind!r}", "use certificate or gap")
    if lang not in _LANGS:
        raise _usage(f"unknown report language {lang!r}", "use zh, en or bilingual")
    if kind == "certificate" and (result.verdict != "certified" or result.level is None):
        name = result.audit.facility.get("name", "")
        raise ReportError(
            [
                Problem(
                    result.audit.path or "<result>",
                    f"no certificate for {name!r}: the verdict is {result.verdict}, not certified "
                    f"/ 未获认定，不能出具证书",
                    hint="ask for the gap report instead (--report gap or auto)",
                )
            ]
        )


def _markup(
    result: Result, standard: Standard, kind: Kind, lang: ReportLang, *, for_print: bool,
    issue: Issue | None = None,
) -> str:  # fmt: skip
    """The document's HTML; for print without CSS (WeasyPrint gets it), for the web with it."""
    from checker.report.context import DEFAULT_FONTS, build_context
    from checker.report.html import render_template

    _check_args(result, kind, lang)
    if for_print:
        from checker.report.fonts import find_cjk_fonts
        from checker.report.workfonts import print_families

        fonts = print_families(find_cjk_fonts())
        context = build_context(result, standard, kind, lang, fonts=fonts, issue=issue)
    else:
        context = build_context(
            result,
            standard,
            kind,
            lang,
            fonts=DEFAULT_FONTS,
            css=_web_css(kind),
            for_print=False,
            issue=issue,
        )
    return render_template(f"{kind}.html.j2", context)


def _web_css(kind: str) -> Markup:
    """The package stylesheet for the web version: a trusted constant, never audit text."""
    from markupsafe import Markup

    from checker.report.html import STATIC_DIR

    name = "certificate.css" if kind == "certificate" else "report.css"
    text = _WEB_FONTS + (STATIC_DIR / name).read_text(encoding="utf-8")
    text = text.replace("url(asset:guilloche.svg)", "none")
    if "</" in text:  # pragma: no cover - our own file; would end the <style> element
        raise _usage(f"stylesheet {name} contains '</'")
    return Markup(text)


def render_html(
    result: Result, standard: Standard, *, kind: Kind, lang: ReportLang = "zh", issue: Issue | None = None
) -> str:
    """The report as one self-contained HTML page for the web (stylesheet embedded)."""
    return _markup(result, standard, kind, lang, for_print=False, issue=issue)


def render_pdf(
    result: Result, standard: Standard, *, kind: Kind, lang: ReportLang = "zh", issue: Issue | None = None
) -> bytes:
    """The report as PDF/A-3b bytes, with ``result.json`` attached, signed when ``issue`` has a key.

    Raises :class:`ReportError` when no CJK font is installed, when a
    certificate is asked for a result that is not certified, or when the
    document would read anything outside the package.
    """
    html = _markup(result, standard, kind, lang, for_print=True, issue=issue)
    from checker.report.pdf import html_to_pdf

    pdf = html_to_pdf(html, kind, result.to_json(indent=2), audited_on=result.audit.audited_on)
    return sign_document(pdf, kind, issue)


def sign_document(pdf: bytes, kind: str, issue: Issue | None) -> bytes:
    """``pdf`` signed with the issue's key (PAdES B-B), or unchanged when there is none."""
    if issue is None or issue.key is None:
        return pdf
    from checker.report.pdfsign import sign_pdf

    reason = "儿童友好认定 / designation" if kind == "certificate" else "评估结果 / audit result"
    return sign_pdf(pdf, issue.key, reason=reason)


def kinds_for(result: Result, kind: KindOption | str) -> list[Kind]:
    """Which documents ``kind`` means for this result (``auto``/``both`` depend on the verdict)."""
    certified = result.verdict == "certified" and result.level is not None
    if kind == "auto":
        return ["certificate" if certified else "gap"]
    if kind == "both":
        return ["certificate", "gap"] if certified else ["gap"]
    if kind in _KINDS:
        return [kind]  # type: ignore[list-item]
    raise _usage(f"unknown report kind {kind!r}", "use auto, certificate, gap or both")


def _slug(text: str, limit: int) -> str:
    """Letters and digits of any script kept, everything else folded to '-'; at most ``limit`` bytes."""
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" else "-" for ch in text)
    slug = "-".join(part for part in kept.split("-") if part)
    slug = slug.encode("utf-8")[:limit].decode("utf-8", "ignore").strip("-")
    if slug.upper() in _WINDOWS_RESERVED:
        slug = "_" + slug
    return slug


def report_filename(result: Result, kind: Kind, fmt: Fmt = "pdf") -> str:
    """``<facility id>_<facility name>_<standard id>_<certificate|gap-report>.<fmt>``.

    Safe on any filesystem: no separators, control or reserved characters, no
    Windows device names, under 200 bytes. Chinese names stay readable.
    """
    facility = result.audit.facility
    parts = [
        _slug(str(facility.get("id") or ""), 48),
        _slug(str(facility.get("name") or ""), 72),
    ]
    who = "_".join(p for p in parts if p)
    if not who:
        import hashlib

        who = "facility-" + hashlib.sha256(str(facility.get("name", "")).encode()).hexdigest()[:8]
    std = _slug(result.standard.id, 48) or "standard"
    return f"{who}_{std}_{_FILE_WORD[kind]}.{fmt}"


def is_directory_target(target: Path | str) -> bool:
    """A directory when it is one, ends with a separator, or has no .pdf/.html suffix."""
    text = str(target)
    path = Path(target)
    if path.is_dir() or text.endswith(("/", os.sep)):
        return True
    return path.suffix.lower() not in _SUFFIXES


def _paths_for(
    result: Result,
    kinds: Sequence[Kind],
    target: Path,
    fmt: Fmt,
    used: set[str] | None = None,
) -> list[Path]:
    if is_directory_target(target):
        target.mkdir(parents=True, exist_ok=True)
        out = []
        for k in kinds:
            name = report_filename(result, k, fmt)
            if used is not None:
                stem, dot, ext = name.rpartition(".")
                n = 2
                while name in used:
                    name = f"{stem}-{n}{dot}{ext}"
                    n += 1
                used.add(name)
            out.append(target / name)
        return out
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    if len(kinds) == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{_FILE_WORD[k]}{target.suffix}") for k in kinds]


def write_report(
    result: Result,
    standard: Standard,
    target: Path | str,
    *,
    kind: KindOption = "auto",
    lang: ReportLang = "zh",
    fmt: Fmt = "pdf",
    issue: Issue | None = None,
) -> list[Path]:
    """Write the report(s) for one result to ``target`` (a directory or a file); the paths written."""
    from checker.core.fsutil import atomic_write

    kinds = kinds_for(result, kind)
    paths = _paths_for(result, kinds, Path(target), fmt)
    written = []
    for k, path in zip(kinds, paths, strict=True):
        try:
            if fmt == "html":
                atomic_write(path, render_html(result, standard, kind=k, lang=lang, issue=issue))
            else:
                atomic_write(path, render_pdf(result, standard, kind=k, lang=lang, issue=issue))
        except OSError as exc:
            raise _usage(
                f"cannot write {path}: {exc.strerror or exc}",
                "check the directory exists and is writable",
            ) from None
        written.append(path)
    return written


def write_reports(
    items: Iterable[tuple[Result, Standard]],
    target: Path | str,
    *,
    kind: KindOption = "auto",
    lang: ReportLang = "zh",
    fmt: Fmt = "pdf",
    jobs: int | None = None,
    issue: Issue | None = None,
) -> list[BatchItem]:
    """Write reports for many results into the directory ``target``, using every core.

    PDFs are laid out by a pool of worker processes when there are at least
    three; the pool starts first, so its start-up overlaps with making the
    HTML here. File names that would collide get ``-2``, ``-3``... One
    result's error does not stop the others: it is returned in its
    :class:`BatchItem`, in input order. With a signing key, workers write
    unsigned files under temporary names and this process signs them (the
    key never goes to a worker).
    """
    from checker.report.batch import run_jobs, sign_outputs, start_pool, workers_for

    items = list(items)
    pool = start_pool(workers_for(jobs, len(items))) if fmt == "pdf" else None
    signing = fmt == "pdf" and issue is not None and issue.key is not None
    outcomes: list[BatchItem] = []
    try:
        pending = _prepare(items, outcomes, Path(target), kind, lang, fmt, issue)
        run_jobs(pending, pool)
    except KeyboardInterrupt:
        if pool is not None:
            pool.stop()
            pool = None
        raise Interrupted(_abandon(outcomes)) from None
    finally:
        if pool is not None:
            pool.close()
    if signing:
        try:
            sign_outputs(outcomes, lambda pdf, kind: sign_document(pdf, kind, issue))
        except KeyboardInterrupt:
            raise Interrupted(_abandon(outcomes)) from None
    return outcomes


def _abandon(outcomes: list[BatchItem]) -> list[str]:
    """After an interrupt: the files written in full; unsigned drafts removed (never left behind)."""
    import contextlib

    from checker.report.batch import is_draft

    written = []
    for item in outcomes:
        for path in item.paths:
            if is_draft(path):
                with contextlib.suppress(OSError):
                    path.unlink()
            else:
                written.append(str(path))
    return written


def _prepare(
    items: list[tuple[Result, Standard]], outcomes: list[BatchItem], directory: Path, kind: KindOption,
    lang: ReportLang, fmt: Fmt, issue: Issue | None,
) -> list[tuple[BatchItem, Job]]:  # fmt: skip
    """Name every file, write the HTML ones, and make the PDF jobs (``outcomes`` gets an item each)."""
    from checker.core.fsutil import atomic_write
    from checker.report.batch import BatchItem, unsigned_name

    used: set[str] = set()
    pending: list[tuple[BatchItem, Job]] = []
    for index, (result, standard) in enumerate(items):
        item = BatchItem(index)
        outcomes.append(item)
        try:
            kinds = kinds_for(result, kind)
            paths = _paths_for(result, kinds, directory, fmt, used)
            for k, path in zip(kinds, paths, strict=True):
                if fmt == "html":
                    page = render_html(result, standard, kind=k, lang=lang, issue=issue)
                    item.paths.append(atomic_write(path, page))
                else:
                    html = _markup(result, standard, k, lang, for_print=True, issue=issue)
                    out = str(path) if issue is None or issue.key is None else unsigned_name(path, k)
                    job = (html, k, result.to_json(indent=2), result.audit.audited_on, out)
                    pending.append((item, job))
        except CheckerError as exc:
            item.error = exc
        except OSError as exc:
            item.error = _usage(f"cannot write into {directory}: {exc.strerror or exc}")
    return pending
