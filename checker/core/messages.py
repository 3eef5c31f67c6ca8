"""The one catalogue of messages a person reads when input is wrong, in Chinese and English.

Every validation message (audit JSON, Excel checklists, ODK/Kobo imports,
standards, plans) comes from ``messages.yaml`` next to this module: one entry
per message, ``key: {zh: ..., en: ...}`` with ``{named}`` placeholders. A
message is rendered in both languages when the problem is found, so the
terminal can print either (``--lang``) and JSON or library users get both.

To add a message: add an entry to ``messages.yaml`` (both languages, the same
placeholders; ``tests/test_messages.py`` checks this), then::

    from checker.core.messages import say
    Problem.of(file, say("obs.unknown_field", key=repr(fid), standard=std.id), say("hint.remove_key"),
               path=..., line=...)

or, where positions come from a parsed document, ``doc.problem(path, say(...), say(...))``.
A placeholder's value may be plain (text, number: the same in both languages),
bilingual (a ``Msg``, a standard's ``Text``: each language takes its own) or a
list of either (joined with 、 or ", ").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from checker.core.text import Lang

__all__ = ["Msg", "catalogue", "did_you_mean", "plain", "say"]


class Msg(NamedTuple):
    """One message in both languages; ``key`` names its catalogue entry ("" when not from it)."""

    key: str
    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


def plain(text: str) -> Msg:
    """Text that reads the same in both languages (a value, an id, a file name)."""
    return Msg("", text, text)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message by key (loaded on the first problem, never on the happy path)."""
    import yaml

    text = (resources.files("checker.core") / "messages.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, dict[str, str]] = yaml.load(text, Loader=loader)
    return data


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _pick(value: Any, lang: Lang) -> str:
    if isinstance(value, Msg):
        return value(lang)
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(_pick(v, lang) for v in value)
    picked = getattr(value, lang, None) if hasattr(value, "zh") and hasattr(value, "en") else None
    return str(value) if picked is None else str(picked)


def say(key: str, /, **params: Any) -> Msg:
    """The catalogue message ``key`` rendered in both languages with ``params``."""
    entry = catalogue().get(key)
    if entry is None:  # a missing key must not turn a user's mistake into a crash
        shown = " ".join([key, *(f"{k}={_pick(v, 'en')}" for k, v in params.items())])
        return Msg(key, shown, shown)
    return Msg(key, _render(entry["zh"], params, "zh"), _render(entry["en"], params, "en"))


def _render(template: str, params: dict[str, Any], lang: Lang) -> str:
    """Fill ``{name}`` placeholders; other braces (``{ … }``) are literal text."""
    picked = {k: _pick(v, lang) for k, v in params.items()}
    return _PLACEHOLDER.sub(lambda m: picked.get(m.group(1), m.group(0)), template)


def did_you_mean(word: str, options: Iterable[str], otherwise: Msg, quote: str = "'") -> Msg:
    """ "did you mean 'x'?" when an option is close to ``word``, else ``otherwise``."""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1)
    return say("hint.did_you_mean", word=f"{quote}{close[0]}{quote}") if close else otherwise
