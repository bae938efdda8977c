"""Typefaces for generated PDFs: where they come from and how a document embeds them.

Every face ships in a pinned pip package and is found through that package at run
time: no system fonts, no downloads. A document gets subsets cut by HarfBuzz to the
characters it draws (OpenType layout kept, so Arabic still joins; variable fonts pinned
to the weight), which takes about a millisecond; fpdf2 then only ever parses fonts of
a few kilobytes, never the 17 MB Chinese face.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import fontpkg
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from fpdf import FPDF

# fpdf2 runs fontTools' subsetter on every output, and it narrates each step at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

REGULAR = 400
BOLD = 700
STYLE_NAMES = {REGULAR: "Regular", BOLD: "Bold"}


@dataclass(frozen=True)
class Typeface:
    """A font family from a package, and the name fpdf2 knows it by."""

    family: str  # lower case: fpdf2 strips "B"/"I" from font keys to find styles
    name: str
    locate: Callable[[int], Path]  # weight -> file; a variable font serves every weight


def _fontpkg(name: str) -> Callable[[int], Path]:
    return lambda weight: fontpkg.path(name, weight=weight)


def _noto_sans_sc(weight: int) -> Path:
    return Path(str(files("justmytype_intl_cjk") / "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"))


# Noto Sans: Latin, Greek, Cyrillic. IBM Plex Sans Arabic rather than Noto Sans Arabic:
# Noto builds dotted letters from a dotless glyph plus separate dot glyphs, which
# leaves glyphs without a Unicode value in the PDF and garbles copied text.
LATIN = Typeface("notosans", "Noto Sans", _fontpkg("Noto Sans"))
ARABIC = Typeface("ibmplexsansarabic", "IBM Plex Sans Arabic", _fontpkg("IBM Plex Sans Arabic"))
CHINESE = Typeface("notosanssc", "Noto Sans SC", _noto_sans_sc)


@functools.cache
def _face(typeface: Typeface, weight: int) -> hb.Face:
    # HarfBuzz maps the file and reads tables on demand; a face is immutable and
    # shared by every render in the process.
    path = Path(typeface.locate(weight))
    if not path.is_file():
        raise FileNotFoundError(f"font for {typeface.family} is not installed: {path}")
    return hb.Face(hb.Blob.from_file_path(str(path)))


@functools.cache
def coverage(typeface: Typeface) -> frozenset[int]:
    """The code points the typeface has glyphs for."""
    return frozenset(_face(typeface, REGULAR).unicodes)


def subset(typeface: Typeface, codepoints: set[int] | frozenset[int], *, weight: int) -> bytes:
    """A static font of `weight` with the glyphs for `codepoints` and their layout."""
    face = _face(typeface, weight)
    plan = hb.SubsetInput()
    plan.unicode_set.update(codepoints)
    plan.flags = hb.SubsetFlags.NO_HINTING
    if not any(axis.tag == "wght" for axis in face.axis_infos):
        return hb.subset(face, plan).blob.data
    # Instancing drops the variation tables: PDF viewers draw static outlines only.
    plan.pin_all_axes_to_default(face)
    plan.pin_axis_location(face, "wght", weight)
    return _renamed(hb.subset(face, plan).blob.data, typeface.name, STYLE_NAMES[weight])


def _renamed(data: bytes, family: str, style: str) -> bytes:
    """The font with names of the instance, not of the variable font's default
    (Noto Sans SC's is "Thin"): the PDF names embedded fonts after them."""
    font = TTFont(io.BytesIO(data), lazy=True)
    names = font["name"]
    for name_id in (16, 17):
        names.removeNames(nameID=name_id)
    for name_id, value in (
        (1, family),
        (2, style),
        (4, f"{family} {style}"),
        (6, f"{family.replace(' ', '')}-{style}"),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embed_fonts(
    pdf: FPDF, *, text: str, typefaces: Sequence[Typeface], directory: Path
) -> list[Typeface]:
    """Register on `pdf`, regular and bold, subsets able to draw `text`.

    The first typeface is the main family and gets every character it covers; each
    next one is a fallback for what the ones before it lack, and is left out when it
    has nothing to add. Returns the typefaces registered, main one first.
    """
    wanted = {ord(char) for char in text}
    remaining = set(wanted)
    registered: list[Typeface] = []
    for typeface in typefaces:
        codepoints = (wanted if not registered else remaining) & coverage(typeface)
        if registered and not codepoints:
            continue
        remaining -= codepoints
        # HarfBuzz drops invisible marks (LRM, RLM) from a run in a font with no space
        # glyph, and fpdf2 cannot place a run that shaped to no glyphs.
        codepoints |= {ord(" ")} & coverage(typeface)
        for style, weight in (("", REGULAR), ("B", BOLD)):
            data = subset(typeface, codepoints, weight=weight)
            path = directory / f"{typeface.family}-{weight}.ttf"
            path.write_bytes(data)
            pdf.add_font(typeface.family, style, path)
        registered.append(typeface)
    if len(registered) > 1:
        pdf.set_fallback_fonts([typeface.family for typeface in registered[1:]])
    return registered
