"""WeasyPrint 70's text layouts made with less work, the same glyphs drawn.

Every piece of text WeasyPrint sets gets a Pango layout (a 10-page gap report makes ~2,700),
and WeasyPrint 70 pays for each more than once:

* each layout gets a Pango context of its own, made and set up (direction, language, glyph
  rounding) every time, though it depends only on those three: here contexts are made once
  per (font map, direction, language) and shared, as Pango allows;
* after laying a line out, WeasyPrint "deactivates" its layout (drops the Pango objects), and
  before drawing it makes a new context and layout and shapes the text again. Here a layout
  stays as it was laid out, and drawing uses it as is, unless it is to be justified (then it
  is remade as before, with the justification spacing).

The PDFs are byte for byte what WeasyPrint 70 makes without this (tests compare them, in every
language). :func:`install` changes ``weasyprint.text.line_break.Layout`` for the process, and
only in the WeasyPrint these lines were written against (``WEASYPRINT``): another version keeps
its own code, and a test fails until this module is checked against it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WEASYPRINT", "install", "installed"]

WEASYPRINT = "70.0"
_state: dict[str, bool] = {}


def installed() -> bool:
    """Whether this process's WeasyPrint text layouts are the ones of this module."""
    return _state.get("installed", False)


def install() -> bool:
    """Give ``Layout`` the shared contexts and kept layouts (once); False for another WeasyPrint."""
    import weasyprint
    from weasyprint.text import line_break

    if installed():
        return True
    if weasyprint.__version__ != WEASYPRINT:
        return False
    layout_class = line_break.Layout
    reactivate = _ORIGINAL["reactivate"] = layout_class.reactivate
    _ORIGINAL["setup"], _ORIGINAL["deactivate"] = layout_class.setup, layout_class.deactivate

    def keep(self: Any) -> None:
        """WeasyPrint's ``deactivate`` drops the Pango layout; it is kept for drawing."""

    def reuse(self: Any, style: Any) -> None:
        """Drawing's ``reactivate``: the layout as laid out, remade only to be justified."""
        if style is not self.style or self.justification_spacing:
            reactivate(self, style)

    layout_class.setup = _setup
    layout_class.deactivate = keep
    layout_class.reactivate = reuse
    _state["installed"] = True
    return True


_contexts: dict[tuple[Any, str, str | None], tuple[Any, Any]] = {}
_ORIGINAL: dict[str, Any] = {}  # WeasyPrint's own setup and reactivate


def _context(style: Any) -> tuple[Any, Any]:
    """The Pango context (and language) for ``style``'s font map, direction and language."""
    from weasyprint.text.constants import PANGO_DIRECTION
    from weasyprint.text.ffi import ffi, gobject, pango, unicode_to_char_p

    font_map = style.font_config.font_map
    key = (font_map, style["direction"], style["lang"])
    found = _contexts.get(key)
    if found is None:
        context = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
        pango.pango_context_set_round_glyph_positions(context, False)
        pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
        if style["lang"]:
            lang_p, _lang = unicode_to_char_p(style["lang"])
            language = pango.pango_language_from_string(lang_p)
            pango.pango_context_set_language(context, language)
        else:
            language = pango.pango_language_get_default()
        found = _contexts[key] = (context, language)
    return found


def _setup(self: Any, style: Any) -> None:
    """``weasyprint.text.line_break.Layout.setup`` of WeasyPrint 70.0, but with the shared context
    of :func:`_context` where WeasyPrint makes a new one.

    Copyright (c) 2011-2021, Simon Sapin and contributors; BSD 3-Clause License (see NOTICE).
    """
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango
    from weasyprint.text.fonts import font_features, get_font_description

    if style["font_language_override"] != "normal":  # never in our documents: WeasyPrint's way
        _ORIGINAL["setup"](self, style)
        return
    self.style = style
    self.first_line_direction = 0
    pango_context, self.language = _context(style)

    assert not isinstance(style["font_family"], str), "font_family should be a list"
    font_description = get_font_description(style)
    self.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font_description)

    if style["text_decoration_line"] != "none":
        metrics = ffi.gc(
            pango.pango_context_get_metrics(pango_context, font_description, self.language),
            pango.pango_font_metrics_unref,
        )
        self.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
        self.underline_position = FROM_UNITS * pango.pango_font_metrics_get_underline_position(metrics)
        self.strikethrough_position = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(
            metrics
        )
        self.underline_thickness = FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(metrics)
        self.strikethrough_thickness = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(
            metrics
        )
    else:
        self.ascent = None
        self.underline_position = None
        self.strikethrough_position = None

    features = font_features(
        style["font_kerning"],
        style["font_variant_ligatures"],
        style["font_variant_position"],
        style["font_variant_caps"],
        style["font_variant_numeric"],
        style["font_variant_alternates"],
        style["font_variant_east_asian"],
        style["font_feature_settings"],
    )
    if features:
        encoded = ",".join(f"{key} {value}" for key, value in features.items()).encode()
        cache = style.font_config.font_features
        attr = cache.setdefault(encoded, pango.pango_attr_font_features_new(encoded))
        attr_list = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)
