"""Bilingual text: every string a person reads exists in Chinese and English."""

from __future__ import annotations

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
    """The user's language from the locale, falling back to Chinese (our users' language).

    As gettext reads it: the first of LC_ALL, LC_MESSAGES, LANG that is set
    names the locale; LANGUAGE (a list such as ``en:zh``) overrides it unless the
    locale is C/POSIX. English only when that says English: an empty or C
    locale (cron, systemd, ``env -i``) gives Chinese. Python's own guess is not
    used, since it reports C.UTF-8 as en_US.
    """
    value = next((v for v in (os.environ.get(k) for k in ("LC_ALL", "LC_MESSAGES", "LANG")) if v), "")
    language = os.environ.get("LANGUAGE", "")
    if language and value.split(".")[0] not in ("", "C", "POSIX"):
        value = language.split(":")[0]
    return "en" if value.lower().startswith("en") else "zh"
