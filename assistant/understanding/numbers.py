"""Numbers as buyers write them: "2,000", "2.000", "2 000", "5k", "1.2万", "3 тыс.",
"2 mil", "two thousand", "dos mil", "zweitausend", "пятьсот", "ألفين", "两千".

All functions work on folded text (see `text.fold`): lower case, no accents, ASCII
digits, Arabic hamza seats removed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .text import fold_pattern


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: Decimal
    kind: str  # digits | words | article | han
    text: str


# -- digits --------------------------------------------------------------------------

_MULTIPLIERS = {
    "k": 1000,
    "mil": 1000,
    "mille": 1000,
    "thousand": 1000,
    "tausend": 1000,
    "tsd": 1000,
    "тыс": 1000,
    "тысяч": 1000,
    "тысячи": 1000,
    "тысяча": 1000,
    "тысячу": 1000,
    "الف": 1000,
    "الاف": 1000,
    "千": 1000,
    "万": 10000,
    "百": 100,
    "亿": 100000000,
    "million": 1000000,
    "millions": 1000000,
    "millones": 1000000,
    "millon": 1000000,
    "milhoes": 1000000,
    "milhao": 1000000,
    "mio": 1000000,
    "млн": 1000000,
    "миллион": 1000000,
    "миллиона": 1000000,
    "مليون": 1000000,
}

_DIGITS = re.compile(
    r"(?<![0-9a-z\u0400-\u04ff/_#+-])(?<!\d[.,])(?<![a-z][.])"
    r"(?P<int>\d{1,3}(?P<sep>[,. '])\d{3}(?:(?P=sep)\d{3})*(?![0-9])|\d+)"
    r"(?:(?P<dsep>[.,])(?P<frac>\d+))?"
    r"(?:\s?(?P<mult>k(?![a-z\u0400-\u04ff])|mil(?![a-z])|mille(?![a-z])|thousand|tausend|tsd\.?"
    r"|тыс\.?|тысяч[аиу]?|млн\.?|million[s]?|millones|milhoes|mio\.?|الف|الاف|千(?!瓦)|万|亿))?"
)


def _digits_value(match: re.Match[str]) -> Decimal | None:
    integer = match.group("int")
    sep = match.group("sep")
    frac = match.group("frac")
    dsep = match.group("dsep")
    if sep:
        if integer.startswith("0"):
            return None  # "0.475" is a decimal, read by the money parser
        integer = integer.replace(sep, "")
        if frac is not None and dsep == sep:
            return None
    raw = integer if frac is None else f"{integer}.{frac}"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    mult = match.group("mult")
    if mult and mult.strip() == "k" and value >= 1000:
        return None  # "4000K" is a colour temperature, not four million
    if mult:
        key = mult.rstrip(".").strip()
        factor = _MULTIPLIERS.get(key)
        if factor is None:
            for name, number in _MULTIPLIERS.items():
                if key.startswith(name):
                    factor = number
                    break
        if factor:
            value = value * factor
    return value


# -- number words --------------------------------------------------------------------

# value, kind: "n" adds, "h" multiplies the current group by 100, "t" closes a group
# times 1000, "m" times a million. An "a" (article) entry means 1 only before a count noun.
_WORDS: dict[str, dict[str, tuple[int, str]]] = {
    "en": {
        "one": (1, "n"),
        "two": (2, "n"),
        "three": (3, "n"),
        "four": (4, "n"),
        "five": (5, "n"),
        "six": (6, "n"),
        "seven": (7, "n"),
        "eight": (8, "n"),
        "nine": (9, "n"),
        "ten": (10, "n"),
        "eleven": (11, "n"),
        "twelve": (12, "n"),
        "thirteen": (13, "n"),
        "fourteen": (14, "n"),
        "fifteen": (15, "n"),
        "sixteen": (16, "n"),
        "seventeen": (17, "n"),
        "eighteen": (18, "n"),
        "nineteen": (19, "n"),
        "twenty": (20, "n"),
        "thirty": (30, "n"),
        "forty": (40, "n"),
        "fifty": (50, "n"),
        "sixty": (60, "n"),
        "seventy": (70, "n"),
        "eighty": (80, "n"),
        "ninety": (90, "n"),
        "hundred": (100, "h"),
        "thousand": (1000, "t"),
        "million": (1000000, "m"),
        "dozen": (12, "n"),
        "a": (1, "a"),
        "an": (1, "a"),
        "single": (1, "a"),
        "couple": (2, "a"),
        "pair": (2, "a"),
    },
    "es": {
        "un": (1, "a"),
        "una": (1, "a"),
        "uno": (1, "n"),
        "dos": (2, "n"),
        "tres": (3, "n"),
        "cuatro": (4, "n"),
        "cinco": (5, "n"),
        "seis": (6, "n"),
        "siete": (7, "n"),
        "ocho": (8, "n"),
        "nueve": (9, "n"),
        "diez": (10, "n"),
        "once": (11, "n"),
        "doce": (12, "n"),
        "quince": (15, "n"),
        "veinte": (20, "n"),
        "veinticinco": (25, "n"),
        "treinta": (30, "n"),
        "cuarenta": (40, "n"),
        "cincuenta": (50, "n"),
        "sesenta": (60, "n"),
        "setenta": (70, "n"),
        "ochenta": (80, "n"),
        "noventa": (90, "n"),
        "cien": (100, "n"),
        "ciento": (100, "h"),
        "doscientos": (200, "n"),
        "doscientas": (200, "n"),
        "trescientos": (300, "n"),
        "trescientas": (300, "n"),
        "cuatrocientos": (400, "n"),
        "cuatrocientas": (400, "n"),
        "quinientos": (500, "n"),
        "quinientas": (500, "n"),
        "seiscientos": (600, "n"),
        "setecientos": (700, "n"),
        "ochocientos": (800, "n"),
        "novecientos": (900, "n"),
        "mil": (1000, "t"),
        "millon": (1000000, "m"),
        "millones": (1000000, "m"),
        "docena": (12, "n"),
        "par": (2, "a"),
    },
    "pt": {
        "um": (1, "a"),
        "uma": (1, "a"),
        "dois": (2, "n"),
        "duas": (2, "n"),
        "tres": (3, "n"),
        "quatro": (4, "n"),
        "cinco": (5, "n"),
        "seis": (6, "n"),
        "sete": (7, "n"),
        "oito": (8, "n"),
        "nove": (9, "n"),
        "dez": (10, "n"),
        "doze": (12, "n"),
        "quinze": (15, "n"),
        "vinte": (20, "n"),
        "trinta": (30, "n"),
        "quarenta": (40, "n"),
        "cinquenta": (50, "n"),
        "sessenta": (60, "n"),
        "setenta": (70, "n"),
        "oitenta": (80, "n"),
        "noventa": (90, "n"),
        "cem": (100, "n"),
        "cento": (100, "h"),
        "duzentos": (200, "n"),
        "duzentas": (200, "n"),
        "trezentos": (300, "n"),
        "trezentas": (300, "n"),
        "quatrocentos": (400, "n"),
        "quatrocentas": (400, "n"),
        "quinhentos": (500, "n"),
        "quinhentas": (500, "n"),
        "seiscentos": (600, "n"),
        "setecentos": (700, "n"),
        "oitocentos": (800, "n"),
        "novecentos": (900, "n"),
        "mil": (1000, "t"),
        "milhao": (1000000, "m"),
        "milhoes": (1000000, "m"),
        "duzia": (12, "n"),
        "par": (2, "a"),
    },
    "fr": {
        "un": (1, "a"),
        "une": (1, "a"),
        "deux": (2, "n"),
        "trois": (3, "n"),
        "quatre": (4, "n"),
        "cinq": (5, "n"),
        "six": (6, "n"),
        "sept": (7, "n"),
        "huit": (8, "n"),
        "neuf": (9, "n"),
        "dix": (10, "n"),
        "onze": (11, "n"),
        "douze": (12, "n"),
        "quinze": (15, "n"),
        "vingt": (20, "n"),
        "vingts": (20, "n"),
        "trente": (30, "n"),
        "quarante": (40, "n"),
        "cinquante": (50, "n"),
        "soixante": (60, "n"),
        "cent": (100, "h"),
        "cents": (100, "h"),
        "mille": (1000, "t"),
        "million": (1000000, "m"),
        "millions": (1000000, "m"),
        "douzaine": (12, "n"),
        "paire": (2, "a"),
    },
    "de": {
        "ein": (1, "a"),
        "eine": (1, "a"),
        "einen": (1, "a"),
        "einem": (1, "a"),
        "einer": (1, "a"),
        "eins": (1, "n"),
        "paar": (2, "a"),
        "dutzend": (12, "n"),
        "million": (1000000, "m"),
        "millionen": (1000000, "m"),
    },
    "ru": {
        "один": (1, "a"),
        "одна": (1, "a"),
        "одну": (1, "a"),
        "одно": (1, "a"),
        "одного": (1, "a"),
        "одной": (1, "a"),
        "два": (2, "n"),
        "две": (2, "n"),
        "двух": (2, "n"),
        "три": (3, "n"),
        "трех": (3, "n"),
        "четыре": (4, "n"),
        "четырех": (4, "n"),
        "пять": (5, "n"),
        "пяти": (5, "n"),
        "шесть": (6, "n"),
        "шести": (6, "n"),
        "семь": (7, "n"),
        "восемь": (8, "n"),
        "девять": (9, "n"),
        "десять": (10, "n"),
        "десяти": (10, "n"),
        "двенадцать": (12, "n"),
        "пятнадцать": (15, "n"),
        "двадцать": (20, "n"),
        "двадцати": (20, "n"),
        "тридцать": (30, "n"),
        "тридцати": (30, "n"),
        "сорок": (40, "n"),
        "пятьдесят": (50, "n"),
        "шестьдесят": (60, "n"),
        "семьдесят": (70, "n"),
        "восемьдесят": (80, "n"),
        "девяносто": (90, "n"),
        "сто": (100, "n"),
        "двести": (200, "n"),
        "двухсот": (200, "n"),
        "триста": (300, "n"),
        "трехсот": (300, "n"),
        "четыреста": (400, "n"),
        "пятьсот": (500, "n"),
        "пятисот": (500, "n"),
        "шестьсот": (600, "n"),
        "семьсот": (700, "n"),
        "восемьсот": (800, "n"),
        "девятьсот": (900, "n"),
        "тысяча": (1000, "t"),
        "тысячи": (1000, "t"),
        "тысяч": (1000, "t"),
        "тысячу": (1000, "t"),
        "тыс": (1000, "t"),
        "миллион": (1000000, "m"),
        "миллиона": (1000000, "m"),
        "пару": (2, "a"),
        "пара": (2, "a"),
    },
    "ar": {
        "واحد": (1, "n"),
        "واحدة": (1, "n"),
        "اثنان": (2, "n"),
        "اثنين": (2, "n"),
        "اثنتين": (2, "n"),
        "اثنتان": (2, "n"),
        "ثلاث": (3, "n"),
        "ثلاثة": (3, "n"),
        "اربع": (4, "n"),
        "اربعة": (4, "n"),
        "خمس": (5, "n"),
        "خمسة": (5, "n"),
        "ست": (6, "n"),
        "ستة": (6, "n"),
        "سبع": (7, "n"),
        "سبعة": (7, "n"),
        "ثمان": (8, "n"),
        "ثماني": (8, "n"),
        "ثمانية": (8, "n"),
        "تسع": (9, "n"),
        "تسعة": (9, "n"),
        "عشر": (10, "n"),
        "عشرة": (10, "n"),
        "عشرون": (20, "n"),
        "عشرين": (20, "n"),
        "ثلاثون": (30, "n"),
        "ثلاثين": (30, "n"),
        "اربعون": (40, "n"),
        "اربعين": (40, "n"),
        "خمسون": (50, "n"),
        "خمسين": (50, "n"),
        "ستين": (60, "n"),
        "سبعين": (70, "n"),
        "ثمانين": (80, "n"),
        "تسعين": (90, "n"),
        "مئة": (100, "h"),
        "مائة": (100, "h"),
        "مية": (100, "h"),
        "مئتين": (200, "n"),
        "مائتين": (200, "n"),
        "مئتان": (200, "n"),
        "مائتان": (200, "n"),
        "ميتين": (200, "n"),
        "ثلاثمائة": (300, "n"),
        "ثلاثمئة": (300, "n"),
        "اربعمائة": (400, "n"),
        "اربعمئة": (400, "n"),
        "خمسمائة": (500, "n"),
        "خمسمئة": (500, "n"),
        "خمسمية": (500, "n"),
        "ستمائة": (600, "n"),
        "ستمئة": (600, "n"),
        "سبعمائة": (700, "n"),
        "ثمانمائة": (800, "n"),
        "تسعمائة": (900, "n"),
        "الف": (1000, "t"),
        "الاف": (1000, "t"),
        "الفين": (2000, "n"),
        "الفان": (2000, "n"),
        "مليون": (1000000, "m"),
    },
}

_WORDS = {lang: {fold_pattern(k): v for k, v in table.items()} for lang, table in _WORDS.items()}
_MULTIPLIERS = {fold_pattern(k): v for k, v in _MULTIPLIERS.items()}

_DE_ATOMS = [
    ("dreizehn", 13),
    ("vierzehn", 14),
    ("funfzehn", 15),
    ("sechzehn", 16),
    ("siebzehn", 17),
    ("achtzehn", 18),
    ("neunzehn", 19),
    ("zwanzig", 20),
    ("dreissig", 30),
    ("dreißig", 30),
    ("vierzig", 40),
    ("funfzig", 50),
    ("sechzig", 60),
    ("siebzig", 70),
    ("achtzig", 80),
    ("neunzig", 90),
    ("hundert", -100),
    ("tausend", -1000),
    ("zwolf", 12),
    ("sieben", 7),
    ("sechs", 6),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("funf", 5),
    ("acht", 8),
    ("neun", 9),
    ("zehn", 10),
    ("eins", 1),
    ("elf", 11),
    ("ein", 1),
    ("und", 0),
]


def _german_compound(word: str) -> list[tuple[int, str]] | None:
    """Split "zweitausendfunfhundert" into number atoms, or None if it is not a number."""
    out: list[tuple[int, str]] = []
    rest = word
    while rest:
        for atom, value in _DE_ATOMS:
            if rest.startswith(atom):
                if value == -100:
                    out.append((100, "h"))
                elif value == -1000:
                    out.append((1000, "t"))
                elif value:
                    out.append((value, "n"))
                rest = rest[len(atom) :]
                break
        else:
            return None
    return out or None


_CONNECTORS = {"and", "y", "e", "und", "et", "و", "-"}
_WORD_TOKEN = re.compile(r"[a-z\u0400-\u04ff\u0600-\u06ff]+|-")


def _evaluate(atoms: list[tuple[int, str]]) -> int:
    total = 0
    current = 0
    for value, kind in atoms:
        if kind in ("n", "a"):
            current += value
        elif kind == "h":
            current = (current or 1) * value
        elif kind == "t":
            total += (current or 1) * value
            current = 0
        elif kind == "m":
            total = (total + (current or 1)) * value
            current = 0
    return total + current


def _word_atoms(token: str, language: str) -> list[tuple[int, str]] | None:
    table = _WORDS.get(language, {})
    if token in table:
        return [table[token]]
    if language == "de":
        if token in ("ein", "eine", "einen", "einem", "einer"):
            return [(1, "a")]
        return _german_compound(token)
    if language == "ar" and len(token) > 2 and token[0] == "و" and token[1:] in table:
        return [table[token[1:]]]
    return None


def _word_numbers(text: str, language: str) -> list[Number]:
    found: list[Number] = []
    if language == "fr":
        text = re.sub(r"quatre[- ]vingts?", lambda m: "~" * len(m.group(0)), text)
    run: list[tuple[int, int, list[tuple[int, str]]]] = []

    def flush() -> None:
        while run and run[-1][2] == []:
            run.pop()
        if run:
            atoms = [atom for _, _, parts in run for atom in parts]
            value = _evaluate(atoms)
            kinds = {kind for _, kind in atoms}
            kind = "article" if kinds == {"a"} else "words"
            if value:
                start, end = run[0][0], run[-1][1]
                found.append(Number(start, end, Decimal(value), kind, text[start:end]))
        run.clear()

    position = 0
    for match in re.finditer(r"~+|" + _WORD_TOKEN.pattern, text):
        between = text[position : match.start()]
        if run and between.strip():
            flush()
        position = match.end()
        token = match.group(0)
        if token.startswith("~"):
            run.append((match.start(), match.end(), [(80, "n")]))
            continue
        if token in _CONNECTORS or (language == "ar" and token == "و"):
            if run:
                run.append((match.start(), match.end(), []))
            continue
        atoms = _word_atoms(token, language)
        if atoms is None:
            flush()
            continue
        if run and any(kind == "a" for _, kind in atoms) and len(atoms) == 1:
            flush()
        run.append((match.start(), match.end(), atoms))
    flush()
    return found


# -- Chinese numerals ----------------------------------------------------------------

_HAN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG = {"万": 10000, "亿": 100000000}
_HAN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
HAN_MEASURE = "个只台片套支盏卷箱件根条块组柜托盒包"


def han_value(run: str) -> int:
    total = 0
    section = 0
    number = 0
    for char in run:
        if char in _HAN_DIGITS:
            number = _HAN_DIGITS[char]
        elif char in _HAN_UNITS:
            section += (number or 1) * _HAN_UNITS[char]
            number = 0
        elif char in _HAN_BIG:
            total += (section + number or 1) * _HAN_BIG[char]
            section = 0
            number = 0
    # "一万二" = 12000: a trailing digit after a magnitude counts one step down.
    if number and (section or total) and run[-2:-1] in ("万", "千", "百"):
        step = {"万": 1000, "千": 100, "百": 10}[run[-2]]
        return total + section + number * step
    return total + section + number


def _han_numbers(text: str) -> list[Number]:
    found = []
    for match in _HAN_RUN.finditer(text):
        run = match.group(0)
        after = text[match.end() : match.end() + 1]
        has_magnitude = any(c in run for c in "千万亿")
        if not (after and after in HAN_MEASURE) and not has_magnitude:
            continue
        if after == "瓦" or text[match.start() - 1 : match.start()] in ("第", "星", "周"):
            continue
        value = han_value(run)
        if value:
            found.append(Number(match.start(), match.end(), Decimal(value), "han", run))
    return found


def find_numbers(text: str, language: str) -> list[Number]:
    """Every number in folded `text`, non-overlapping, in order."""
    found: list[Number] = []
    for match in _DIGITS.finditer(text):
        value = _digits_value(match)
        if value is None:
            continue
        found.append(Number(match.start(), match.end(), value, "digits", match.group(0)))
    if language in _WORDS:
        found.extend(_word_numbers(text, language))
    elif language != "zh":
        found.extend(_word_numbers(text, "en"))
    if language == "zh" or re.search(r"[\u4e00-\u9fff]", text):
        found.extend(_han_numbers(text))
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    result: list[Number] = []
    for number in found:
        if result and number.start < result[-1].end:
            continue
        result.append(number)
    return result


def parse_amount(raw: str) -> Decimal | None:
    """A money amount: "8,50", "1.234,56", "1,234.56", "24", "0.47"."""
    raw = raw.strip().replace(" ", "").replace("'", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        head, _, tail = raw.rpartition(",")
        raw = head.replace(",", "") + ("" if len(tail) == 3 and head else ".") + tail
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    elif "." in raw:
        head, _, tail = raw.partition(".")
        if len(tail) == 3 and len(head) <= 3 and head != "0":
            raw = head + tail
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def folded_words(words: list[str]) -> list[str]:
    return [fold_pattern(word) for word in words]
