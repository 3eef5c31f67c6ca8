"""Working copies of the CJK faces, cut to the common characters, so that each PDF subsets a small font.

Noto Sans/Serif CJK (and Source Han) hold 65,535 glyphs each, the Chinese
characters spread over the whole range. WeasyPrint subsets the fonts it
embeds keeping every glyph's number, up to the highest one used: a report
that uses 600 characters still carried a font program of some 60,000 glyph
slots per face (800 kB before compression), and for every document read the
whole 20 MB collection into memory, subset it and compressed the result. That
was a third of a certificate's time and most of its file size.

So, once per machine, each face the reports use (the sans and serif family,
regular and bold) is cut with HarfBuzz's subsetter (the library WeasyPrint
itself subsets with) to the characters of GB 2312 plus Latin, punctuation,
symbols and full-width forms: about 14,000 glyphs with the forms the
layout features reach. Outlines, metrics, kerning and every layout feature
are the face's own, except the vertical-text ones (WeasyPrint sets no
vertical text); pages render pixel for pixel as before. The copy is declared with
``@font-face`` as "<family> Common" ahead of the installed family, so a
character outside it (a rare character in a name) still comes from the
installed face: Pango chooses the font per character.

Copies are kept in the per-user cache directory, keyed by the source file
(path, size, modification time, face index), the HarfBuzz version and the
character set, and written atomically; when that directory is not writable
the copy is made in memory for the process (0.1-0.2 s a face). Anything
missing (``fc-match``, ``libharfbuzz-subset``, a bold face) means no copy
for that family: the installed font is used as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from checker.report.fonts import FontChoice

__all__ = ["COMMON_SUFFIX", "WorkFace", "print_families", "working_faces"]

COMMON_SUFFIX = "Common"
CHARSET_VERSION = "gb2312+latin+symbols/4"
WEIGHTS = {400: 80, 700: 200}  # CSS weight -> fontconfig weight asked for
_TABLES_LEFT_OUT = ("vhea", "vmtx", "VORG")  # vertical metrics: 4 bytes a glyph in every PDF, never read
_FEATURES_LEFT_OUT = ("vert", "vrt2", "vkna", "vrtr", "valt", "vhal", "vpal", "vkrn")  # vertical text only
_RANGES = (
    (0x20, 0x24F),  # Latin, Latin-1, Latin Extended-A/B
    (0x2B0, 0x2FF),  # spacing modifiers
    (0x370, 0x3FF),  # Greek
    (0x400, 0x45F),  # Cyrillic (in GB 2312)
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # super- and subscripts
    (0x20A0, 0x20CF),  # currency
    (0x2100, 0x23FF),  # letterlike, number forms, arrows, mathematical, technical
    (0x2460, 0x27BF),  # enclosed, box drawing, shapes, symbols, dingbats
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x30FF),  # kana (in GB 2312)
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (units)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
)


@dataclass(frozen=True, slots=True)
class WorkFace:
    """One working copy: the ``@font-face`` family, its weight, the fetcher's name and the font."""

    family: str
    weight: int
    name: str
    data: bytes


def _codepoints() -> list[int]:
    points = {cp for lo, hi in _RANGES for cp in range(lo, hi + 1)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(points)


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")


class _HarfBuzz:
    """The few HarfBuzz calls a subset needs, through ctypes (WeasyPrint's bindings lack them)."""

    def __init__(self) -> None:
        names = ("harfbuzz-subset", "harfbuzz-subset-0")
        found = [ctypes.util.find_library(n) for n in names]
        path = next((f for f in found if f), "libharfbuzz-subset.so.0")
        lib = ctypes.CDLL(path)  # OSError when absent; exports hb_* from libharfbuzz too
        ptr, uint, char_p = ctypes.c_void_p, ctypes.c_uint, ctypes.c_char_p
        sigs: dict[str, tuple[object, list[object]]] = {
            "hb_version_string": (char_p, []),
            "hb_blob_create_from_file": (ptr, [char_p]),
            "hb_blob_get_length": (uint, [ptr]),
            "hb_blob_get_data": (ctypes.POINTER(ctypes.c_char), [ptr, ctypes.POINTER(uint)]),
            "hb_blob_destroy": (None, [ptr]),
            "hb_face_create": (ptr, [ptr, uint]),
            "hb_face_get_glyph_count": (uint, [ptr]),
            "hb_face_reference_blob": (ptr, [ptr]),
            "hb_face_destroy": (None, [ptr]),
            "hb_set_add": (None, [ptr, uint]),
            "hb_set_del": (None, [ptr, uint]),
            "hb_set_clear": (None, [ptr]),
            "hb_set_invert": (None, [ptr]),
            "hb_subset_input_create_or_fail": (ptr, []),
            "hb_subset_input_unicode_set": (ptr, [ptr]),
            "hb_subset_input_set": (ptr, [ptr, ctypes.c_int]),
            "hb_subset_input_destroy": (None, [ptr]),
            "hb_subset_or_fail": (ptr, [ptr, ptr]),
        }
        for name, (restype, argtypes) in sigs.items():
            function = getattr(lib, name)  # AttributeError on a HarfBuzz too old
            function.restype = restype
            function.argtypes = argtypes
        self.lib = lib
        self.version = str(lib.hb_version_string().decode("ascii", "replace"))

    def subset(self, path: str, index: int, codepoints: list[int]) -> bytes | None:
        lib = self.lib
        blob = lib.hb_blob_create_from_file(os.fsencode(path))
        face = lib.hb_face_create(blob, index)
        lib.hb_blob_destroy(blob)
        plan = lib.hb_subset_input_create_or_fail()
        try:
            if not plan or lib.hb_face_get_glyph_count(face) == 0:
                return None
            wanted = lib.hb_subset_input_unicode_set(plan)
            for cp in codepoints:
                lib.hb_set_add(wanted, cp)
            features = lib.hb_subset_input_set(plan, 6)  # HB_SUBSET_SETS_LAYOUT_FEATURE_TAG
            lib.hb_set_clear(features)
            lib.hb_set_invert(features)  # every feature the face has...
            for tag in _FEATURES_LEFT_OUT:  # ...but these
                lib.hb_set_del(features, _tag(tag))
            dropped = lib.hb_subset_input_set(plan, 3)  # HB_SUBSET_SETS_DROP_TABLE_TAG
            for tag in _TABLES_LEFT_OUT:
                lib.hb_set_add(dropped, _tag(tag))
            cut = lib.hb_subset_or_fail(face, plan)
            if not cut:
                return None
            out = lib.hb_face_reference_blob(cut)
            size = ctypes.c_uint()
            data = lib.hb_blob_get_data(out, ctypes.byref(size))
            font = ctypes.string_at(data, size.value) if data and size.value else None
            lib.hb_blob_destroy(out)
            lib.hb_face_destroy(cut)
            return font
        finally:
            if plan:
                lib.hb_subset_input_destroy(plan)
            lib.hb_face_destroy(face)


@lru_cache(maxsize=1)
def _harfbuzz() -> _HarfBuzz | None:
    try:
        return _HarfBuzz()
    except (OSError, AttributeError):
        return None


_FC_ESCAPE = re.compile(r"([\\\-:,=])")


def _face_file(family: str, weight: int) -> tuple[str, int, int] | None:
    """(file, index, fontconfig weight) of the face fontconfig gives for ``family`` at ``weight``."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    pattern = _FC_ESCAPE.sub(r"\\\1", family) + f":weight={WEIGHTS[weight]}"
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}\\n%{index}\\n%{weight}\\n%{family}\\n", pattern],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=20,
            check=False,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 4 or family not in [f.strip() for f in out[3].split(",")]:
        return None
    try:
        return out[0], int(out[1]), int(float(out[2]))
    except ValueError:
        return None


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tongcheck")) / "fonts"


def _slug(family: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", family).strip("-") or "font"


def _is_font(data: bytes) -> bool:
    return len(data) > 1024 and data[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"true")


def _working_copy(hb: _HarfBuzz, family: str, weight: int, path: str, index: int) -> bytes | None:
    """The cached copy of one face, made (and cached when possible) if missing or stale."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = f"{CHARSET_VERSION}|{hb.version}|{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}"
    stem = f"{_slug(family)}-{weight}-"
    folder = _cache_dir()
    target = folder / f"{stem}{hashlib.sha256(key.encode()).hexdigest()[:16]}.otf"
    try:
        data = target.read_bytes()
        if _is_font(data):
            return data
    except OSError:
        pass
    data = hb.subset(path, index, _codepoints()) or b""
    if not _is_font(data):
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{stem}*.otf"):  # the copy of a font since updated
            if old != target:
                old.unlink(missing_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except OSError:
        pass  # an unwritable cache: the copy serves this process only
    return data


@lru_cache(maxsize=4)
def working_faces(choice: FontChoice) -> tuple[WorkFace, ...]:
    """The working copies for ``choice``'s families; empty where one cannot be made.

    A family gets copies for both weights or none: with a regular copy alone,
    bold text would match the copy's family and be emboldened artificially
    instead of using the installed bold face.
    """
    hb = _harfbuzz()
    if hb is None:
        return ()
    faces: list[WorkFace] = []
    for family in dict.fromkeys((choice.sans, choice.serif)):
        found = {w: _face_file(family, w) for w in WEIGHTS}
        regular, bold = found[400], found[700]
        if regular is None or bold is None or regular[:2] == bold[:2] or bold[2] < 180:
            continue
        copies = {w: _working_copy(hb, family, w, f[0], f[1]) for w, f in found.items() if f}
        if all(copies.values()):
            alias = f"{family} {COMMON_SUFFIX}"
            faces.extend(
                WorkFace(alias, w, f"{_slug(family)}-{w}.otf", data)
                for w, data in copies.items()
                if data
            )
    return tuple(faces)


def print_families(choice: FontChoice) -> FontChoice:
    """``choice`` with each family that has working copies preceded by them (for SVG attributes)."""
    aliases = {f.family for f in working_faces(choice)}

    def chain(family: str) -> str:
        alias = f"{family} {COMMON_SUFFIX}"
        return f"{alias}, {family}" if alias in aliases else family

    return FontChoice(sans=chain(choice.sans), serif=chain(choice.serif))


def face_css(faces: tuple[WorkFace, ...], scheme: str) -> str:
    """The ``@font-face`` rules declaring ``faces``, each fetched as ``scheme`` + its name."""
    return "".join(
        f'@font-face {{ font-family: "{f.family}"; src: url({scheme}{f.name}); font-weight: {f.weight}; }}\n'
        for f in faces
    )
