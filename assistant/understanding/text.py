"""One folded form of a buyer message that every extractor matches against, with a map
back to the original characters so spans (a port as written) come out unchanged.

Folding: NFKC (full-width forms, no-break spaces), lower case, accents and Arabic hamza
seats removed, Arabic-Indic digits as ASCII, harakat/tatweel/zero-width dropped, "×"
and "*" between digits as "x". Patterns are folded with the same function, so they can
be written with accents ("cotización") and still match "cotizacion" or "COTIZACIÓN".
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_DROP = {
    "\u0640",  # Arabic tatweel
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\ufeff",
}
_SPECIAL = {
    "ى": "ي",
    "٫": ".",  # Arabic decimal separator
    "٬": ",",  # Arabic thousands separator
    "،": ",",
    "؛": ";",
    "؟": "?",
    "×": "x",
    "х": "х",  # Cyrillic kha stays itself; "600х600" is handled by patterns
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "\u2019": "'",
    "\u2018": "'",
    "\u00b4": "'",
    "`": "'",
    "«": '"',
    "»": '"',
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u3000": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _DROP:
        return ""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if "\u0660" <= char <= "\u0669":
        return chr(ord("0") + ord(char) - 0x0660)
    if "\u06f0" <= char <= "\u06f9":
        return chr(ord("0") + ord(char) - 0x06F0)
    category = unicodedata.category(char)
    if category == "Mn":  # combining marks: accents, Arabic harakat
        return ""
    if category == "Cf":
        return ""
    if char.isspace():
        return "\n" if char in "\n\r\u2028\u2029" else " "
    normal = unicodedata.normalize("NFKC", char)
    if len(normal) != 1:
        normal = char
    base = unicodedata.normalize("NFD", normal)[0]
    lowered = base.lower()
    if len(lowered) != 1:
        lowered = base
    if lowered in _SPECIAL:
        return _SPECIAL[lowered]
    return lowered


@dataclass(frozen=True)
class Folded:
    """The folded text and, for each of its characters, the index in the original."""

    original: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> str:
        """The original text behind folded[start:end]."""
        if start >= end or start >= len(self.origin):
            return ""
        first = self.origin[start]
        last = self.origin[min(end, len(self.origin)) - 1] + 1
        return self.original[first:last]


_DIGIT_TIMES = re.compile(r"(?<=\d)\s?[x*х]\s?(?=\d)")


def fold(text: str) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        for piece in folded:
            chars.append(piece)
            origin.append(index)
    folded_text = "".join(chars)
    # "600*600", "600 x 600" -> "600x600", keeping one folded char per original char.
    folded_text = _DIGIT_TIMES.sub(
        lambda m: m.group(0).replace("*", "x").replace("х", "x"), folded_text
    )
    return Folded(original=text, text=folded_text, origin=tuple(origin))


@lru_cache(maxsize=8192)
def fold_pattern(pattern: str) -> str:
    """Fold the literal letters of a regex the way `fold` folds text (escapes kept)."""
    out: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char.isspace():
            out.append(char)
        else:
            out.append(_fold_char(char))
    return "".join(out).replace("(?p<", "(?P<").replace("(?p=", "(?P=")


def compile_folded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(fold_pattern(pattern), flags)


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _needed(items, categories) -> frozenset[str] | None:
    """Strings one of which every match of the parsed pattern `items` contains, or None
    when there is no such set (see `required_literals`)."""
    literal, branch, subpattern, atomic = categories
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is literal:
            run.append(chr(value))
            continue
        if run:
            candidates.append(frozenset(("".join(run),)))
            run = []
        if op is subpattern:
            _group, add_flags, _del_flags, inner = value
            needed = None if add_flags & re.IGNORECASE else _needed(inner, categories)
        elif op is branch:
            alternatives = [_needed(inner, categories) for inner in value[1]]
            needed = (
                None
                if any(alternative is None for alternative in alternatives)
                else frozenset().union(*alternatives)
            )
        elif op in _REPEATS:
            low, _high, inner = value
            needed = _needed(inner, categories) if low >= 1 else None
        elif op is atomic:
            needed = _needed(value, categories)
        else:  # a class, any character, an assertion, a back reference: no literal
            needed = None
        if needed:
            candidates.append(needed)
    if run:
        candidates.append(frozenset(("".join(run),)))
    if not candidates:
        return None
    # the rarest-looking set: long strings, few of them
    return max(candidates, key=lambda strings: (min(map(len, strings)), -len(strings)))


try:  # the standard library's own regex parser (private; without it, no prefilter)
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser

    _REPEATS = (
        _sre_constants.MAX_REPEAT,
        _sre_constants.MIN_REPEAT,
        _sre_constants.POSSESSIVE_REPEAT,
    )
    _CATEGORIES = (
        _sre_constants.LITERAL,
        _sre_constants.BRANCH,
        _sre_constants.SUBPATTERN,
        _sre_constants.ATOMIC_GROUP,
    )
except (ImportError, AttributeError):  # pragma: no cover - another Python
    _sre_parser = None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which the text must contain for `pattern` to match anywhere in it,
    or None when none can be told (case-insensitive patterns, a class or a digit at
    every turn). A cheap `in` test on these skips most searches that would fail."""
    if _sre_parser is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _sre_parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unexpected parser shape: search as before
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    needed = _needed(parsed, _CATEGORIES)
    return tuple(sorted(needed, key=len)) if needed else None


class LiteralIndex:
    """Which of many strings a text contains, found by their first two characters
    (the text's character pairs are few next to thousands of rule literals)."""

    def __init__(self, literals):
        self.short: tuple[str, ...] = tuple(sorted({lit for lit in literals if len(lit) < 2}))
        by_pair: dict[str, list[str]] = {}
        for literal in sorted({lit for lit in literals if len(lit) >= 2}):
            by_pair.setdefault(literal[:2], []).append(literal)
        self.by_pair: dict[str, tuple[str, ...]] = {
            pair: tuple(group) for pair, group in by_pair.items()
        }

    def present(self, text: str) -> set[str]:
        found = {literal for literal in self.short if literal in text}
        by_pair = self.by_pair
        for pair in {text[i : i + 2] for i in range(len(text) - 1)}:
            group = by_pair.get(pair)
            if group is not None:
                found.update(literal for literal in group if literal in text)
        return found


class PatternGate:
    """For a list of patterns, which ones can match a text at all: a pattern none of
    whose needed strings (`required_literals`) the text contains is skipped."""

    def __init__(self, patterns):
        self.needed: tuple[frozenset[str] | None, ...] = tuple(
            frozenset(found) if (found := required_literals(pattern)) is not None else None
            for pattern in patterns
        )
        self.index = LiteralIndex(
            {literal for needed in self.needed if needed for literal in needed}
        )

    def open(self, text: str) -> list[bool]:
        """For each pattern, whether it may match `text` (False: it cannot)."""
        present = self.index.present(text)
        return [needed is None or not needed.isdisjoint(present) for needed in self.needed]
