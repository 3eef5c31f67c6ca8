"""Bilingual text: every string a person reads exists in Chinese and English."""

from __future__ import annotations

import locale
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictStr

__all__ = ["LANGS", "Lang", "Text", "default_lang", "pick"]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class Text(BaseModel):
    """A pair of translations, always both present (``{zh: ..., en: ...}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    zh: StrictStr
    en: StrictStr

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def pick(text: Text | None, lang: Lang) -> str:
    return "" if text is None else text(lang)


def default_lang() -> Lang:
    """The user's language from the locale, falling back to Chinese (our users' language)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "en" if current.lower().startswith("en") else "zh"
