"""The latest date a buyer wants the goods, from absolute dates in local formats and
relative expressions resolved against `now`: "end of March" is the last day of the next
March, "within 30 days" is now + 30 days, "下个月底" the last day of next month,
"до конца года" 31 December, "antes del 15 de enero" 14 January.

Works on folded text. A date counts when it sits in a delivery context (a deadline word
such as "by", "hasta", "до", "之前", or a delivery word such as "shipment", "entrega")
and not in a payment or validity one.
"""

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from .numbers import find_numbers, han_value
from .text import fold_pattern

_MONTHS = {
    1: "january jan enero ene janeiro janvier janv januar janner январ كانون الثاني يناير جانفي",
    2: "february feb febrero febr fevereiro fev fevrier fevr februar feb феврал شباط فبراير فيفري",
    3: "march mar marzo marco mars marz марта март марте اذار مارس",
    4: "april apr abril avril апрел نيسان ابريل افريل",
    5: "may mayo maio mai мая май мае ايار مايو ماي",
    6: "june jun junio junho juin juni июн حزيران يونيو جوان",
    7: "july jul julio julho juillet juil juli июл تموز يوليو جويلية",
    8: "august aug agosto aout август اب اغسطس اوت",
    9: "september sept sep septiembre setiembre setembro septembre сентябр ايلول سبتمبر",
    10: "october oct octubre outubro out octobre oktober okt октябр تشرين الاول اكتوبر",
    11: "november nov noviembre novembro novembre ноябр تشرين الثاني نوفمبر",
    12: "december dec diciembre dic dezembro dez decembre dezember декабр كانون الاول ديسمبر",
}
# Month words that are also ordinary words count only next to a day number.
_WEAK_MONTHS = {
    "may",
    "mar",
    "mai",
    "jun",
    "out",
    "dez",
    "dec",
    "ene",
    "sept",
    "sep",
    "jan",
    "aug",
    "oct",
    "nov",
    "fev",
    "okt",
    "dic",
    "apr",
    "jul",
    "feb",
    "март",
    "май",
}


@lru_cache(maxsize=1)
def _month_table() -> tuple[dict[str, int], str]:
    table: dict[str, int] = {}
    for month, words in _MONTHS.items():
        # multi-word Levantine names first
        for levantine in ("كانون الثاني", "تشرين الاول", "تشرين الثاني", "كانون الاول"):
            if levantine in words:
                table[fold_pattern(levantine)] = month
                words = words.replace(levantine, "")
        for word in words.split():
            table[fold_pattern(word)] = month
    names = sorted(table, key=len, reverse=True)
    alternation = "|".join(
        re.escape(name) + (r"[а-я]{0,3}" if "\u0400" <= name[0] <= "\u04ff" else "")
        for name in names
    )
    return table, alternation


def _month_of(token: str) -> int | None:
    table, _ = _month_table()
    token = token.strip(". ")
    if token in table:
        return table[token]
    for cut in range(1, 4):
        if token[:-cut] in table and "\u0400" <= token[0] <= "\u04ff":
            return table[token[:-cut]]
    return None


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year = day.year + month0 // 12
    month = month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _next_occurrence(today: date, month: int, day: int | None) -> date | None:
    year = today.year
    try:
        if day is None:
            candidate = _last_day(year, month)
            if month < today.month:
                candidate = _last_day(year + 1, month)
        else:
            candidate = date(year, month, day)
            if candidate < today:
                candidate = date(year + 1, month, day)
    except ValueError:
        return None
    return candidate


_DEADLINE = (
    r"by|before|until|till|no later than|not later than|latest|at the latest|deadline|due|prior to|in time for|"
    r"para|antes de|antes del|antes|hasta|a mas tardar|como maximo|maximo|no mas tarde de|"
    r"ate|no maximo|o mais tardar|"
    r"avant|d'ici|au plus tard|pour|jusqu'au|jusqu'a|"
    r"bis|spatestens|vor|zum|"
    r"до|не позднее|не позже|к|крайний срок|срок|"
    r"قبل|بحلول|حتى|اقصاه|اقصى|موعد|"
    r"之前|以前|前|最迟|最晚|截止"
)
_DELIVERY = (
    r"deliver\w*|ship\w*|arriv\w*|eta|etd|need\w*|requir\w*|load\w*|dispatch\w*|"
    r"entrega\w*|envio|embarque|embarcar|despacho|llegada|llegar|necesit\w*|"
    r"chegada|chegar|precis\w*|envio|"
    r"livraison|livr\w*|expedition|expedier|arrivee|chargement|"
    r"liefer\w*|verladung|versand|ankunft|verschiff\w*|"
    r"поставк\w*|отгрузк\w*|доставк\w*|прибыти\w*|получить|"
    r"التسليم|تسليم|الشحن|شحن|التوريد|توريد|وصول|توصيل|"
    r"到货|交货|发货|出货|到港|交期|到"
)
_NOT_DELIVERY = (
    r"pay\w*|credit|valid\w*|pago|pagar|credito|validez|pagamento|validade|paiement|payer|validite|"
    r"zahl\w*|gultig\w*|оплат\w*|действител\w*|الدفع|دفع|صالح|付款|有效|ago|hace|atras|il y a|назад|vor \d"
)

_TRIGGER = re.compile(
    r"(?<![\w])(?:"
    + fold_pattern(_DEADLINE + "|" + _DELIVERY)
    + r")(?![\w])|之前|以前|前|到货|交货|发货|出货|到港"
)
_BLOCK = re.compile(r"(?<![\w])(?:" + fold_pattern(_NOT_DELIVERY) + r")(?![\w])|付款|有效")
_BEFORE = re.compile(
    r"(?:(?<![\w])(?:before|antes\s+de|antes|avant|vor|قبل)\s*(?:the\s+|el\s+|la\s+|le\s+|o\s+|a\s+)?)$"
)

_SENTENCE_END = re.compile(r"[.!?。！？\n]")


def _sentence_window(text: str, start: int, end: int) -> tuple[str, str]:
    left = text[max(0, start - 60) : start]
    cut = [m.end() for m in _SENTENCE_END.finditer(left)]
    if cut:
        left = left[cut[-1] :]
    right = text[end : end + 25]
    stop = _SENTENCE_END.search(right)
    if stop:
        right = right[: stop.start()]
    return left, right


def _in_delivery_context(text: str, start: int, end: int, *, strong: bool) -> bool:
    left, right = _sentence_window(text, start, end)
    if _BLOCK.search(left[-30:]) or _BLOCK.search(right[:15]):
        return False
    if strong:
        return True
    return bool(_TRIGGER.search(left[-40:]) or _TRIGGER.search(right[:12]))


def _is_before(text: str, start: int) -> bool:
    return bool(_BEFORE.search(text[max(0, start - 14) : start]))


_QUALIFIER_END = (
    r"end of|the end of|end|late|fin de|fin|finales de|fines de|final de|finales|fim de|final do|finais de|"
    r"a la fin de|fin de mois de|ende|ende des|konca|конц[аеу]|к концу|конец|نهاية|اواخر|اخر|"
)
_QUALIFIER_MID = r"mid|middle of|mediados de|meados de|mi|mitte|середин[аеу]|منتصف|"
_QUALIFIER_EARLY = r"early|beginning of|start of|principios de|inicios de|inicio de|comienzos de|comeco de|inicio de|debut|anfang|начал[аеоу]|в начале|بداية|اوائل"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    _, months = _month_table()
    qual = (
        r"(?:(?P<end>"
        + fold_pattern(_QUALIFIER_END.rstrip("|"))
        + r")|(?P<mid>"
        + fold_pattern(_QUALIFIER_MID.rstrip("|"))
        + r")|(?P<early>"
        + fold_pattern(_QUALIFIER_EARLY)
        + r"))"
    )
    return {
        "iso": re.compile(r"(?<!\d)(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
        "dmy": re.compile(r"(?<![\d.,/])(\d{1,2})[./-](\d{1,2})[./-](20\d\d|\d\d)(?![\d])"),
        "dm": re.compile(r"(?<![\d.,/:])(\d{1,2})[./](\d{1,2})(?![\d./,:])"),
        "d_month": re.compile(
            r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th|er|eme|º|°|-?го|-?е)?\.?\s*(?:de\s+|of\s+|-)?"
            r"(" + months + r")\.?(?![a-z\u0400-\u04ff])(?:,?\s*(?:de\s+|del\s+)?(20\d\d))?"
        ),
        "month_d": re.compile(
            r"(?<![a-z\u0400-\u04ff])("
            + months
            + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?![\d])(?:,?\s*(20\d\d))?"
        ),
        "month": re.compile(
            r"(?:"
            + qual
            + r"[\s-]*(?:of\s+|de\s+|del\s+|do\s+|des\s+|du\s+)?(?:the\s+|el\s+|la\s+)?(?:month\s+of\s+|mes\s+de\s+|mois\s+de\s+|mes\s+|mois\s+|месяца\s+|شهر\s+)?)?"
            r"(?<![a-z\u0400-\u04ff])("
            + months
            + r")(?![a-z\u0400-\u04ff])(?:\s*(?:de\s+|del\s+)?(20\d\d))?"
        ),
        "zh_full": re.compile(r"(?:(20\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
        "zh_month": re.compile(
            r"(?:(20\d\d)\s*年\s*|(明年)\s*)?(\d{1,2}|[一二三四五六七八九十]+)\s*月(?:份)?\s*(底|末|中旬|中|初|上旬|下旬)?"
        ),
    }


_RELATIVE = [
    # (pattern, kind)
    (
        r"(?:end of|by the end of|until the end of)\s+(?:the\s+|this\s+)?year|year[\s-]end|"
        r"fin(?:ales)?\s+de(?:l)?\s+ano|final\s+del\s+ano|fim\s+do\s+ano|final\s+do\s+ano|"
        r"fin\s+(?:de\s+l'|d')annee|fin\s+de\s+l'annee|jahresende|ende\s+des\s+jahres|ende\s+(?:dieses\s+)?jahres|"
        r"конц[аеу]\s+года|конец\s+года|нового\s+года|новый\s+год|"
        r"نهاية\s+(?:ال)?(?:عام|سنة)|اخر\s+(?:ال)?(?:سنة|عام)|رأس\s+السنة",
        "year_end",
    ),
    (r"年底|年末|今年底|元旦", "year_end"),
    (
        r"(?:end of|by the end of)\s+(?:the\s+)?next month|"
        r"fin(?:ales)?\s+del\s+(?:proximo\s+mes|mes\s+que\s+viene)|fim\s+do\s+(?:proximo\s+mes|mes\s+que\s+vem)|"
        r"fin\s+du\s+mois\s+prochain|ende\s+(?:des\s+)?nachsten\s+monats|"
        r"конц[аеу]\s+следующего\s+месяца|نهاية\s+الشهر\s+(?:القادم|المقبل)",
        "next_month_end",
    ),
    (r"下个?月底|下个?月末|下个?月", "next_month_end"),
    (
        r"next month|(?:el\s+)?(?:proximo\s+mes|mes\s+que\s+viene)|(?:o\s+)?(?:proximo\s+mes|mes\s+que\s+vem)|"
        r"(?:le\s+)?mois\s+prochain|nachsten\s+monat|kommenden\s+monat|"
        r"следующ\w+\s+месяц\w*|الشهر\s+(?:القادم|المقبل|الجاي)",
        "next_month_end",
    ),
    (
        r"(?:end of|by the end of)\s+(?:this|the)\s+month|fin(?:ales)?\s+de(?:\s+este)?\s+mes|fim\s+(?:deste|do)\s+mes|"
        r"fin\s+(?:du|de\s+ce)\s+mois|ende\s+(?:dieses|des)\s+monats|monatsende|"
        r"конц[аеу]\s+(?:этого\s+)?месяца|نهاية\s+(?:هذا\s+)?الشهر|本月底|月底前|这个月底|本月",
        "this_month_end",
    ),
    (
        r"next week|(?:la\s+)?(?:proxima\s+semana|semana\s+que\s+viene)|(?:a\s+)?(?:proxima\s+semana|semana\s+que\s+vem)|"
        r"(?:la\s+)?semaine\s+prochaine|nachste\s+woche|nachsten\s+woche|следующ\w+\s+недел\w*|"
        r"الاسبوع\s+(?:القادم|المقبل)|下周|下个星期|下星期",
        "next_week_end",
    ),
    (
        r"christmas\s+eve|nochebuena|vespera\s+de\s+natal|veille\s+de\s+noel|heiligabend|heiligen\s+abend|сочельник|平安夜",
        "xmas_eve",
    ),
    (
        r"christmas|xmas|navidad|natal|noel|weihnacht\w*|рождеств\w*|圣诞节?|عيد\s+الميلاد|الكريسماس",
        "xmas",
    ),
    (
        r"chinese\s+new\s+year|cny|spring\s+festival|ano\s+nuevo\s+chino|ano\s+novo\s+chines|nouvel\s+an\s+chinois|"
        r"chinesisch\w*\s+neujahr\w*|китайск\w+\s+нов\w+\s+год\w*|春节|过年|رأس\s+السنة\s+الصينية",
        "cny",
    ),
    (r"ramadan|ramadhan|рамадан\w*|رمضان|斋月", "ramadan"),
]
_CNY = {
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}
_RAMADAN = {
    2026: date(2026, 2, 18),
    2027: date(2027, 2, 8),
    2028: date(2028, 1, 28),
    2029: date(2029, 1, 16),
    2030: date(2030, 1, 5),
}

_DURATION_UNITS = {
    "day": 1,
    "days": 1,
    "dia": 1,
    "dias": 1,
    "jour": 1,
    "jours": 1,
    "tag": 1,
    "tage": 1,
    "tagen": 1,
    "день": 1,
    "дня": 1,
    "дней": 1,
    "суток": 1,
    "يوم": 1,
    "يوما": 1,
    "ايام": 1,
    "天": 1,
    "日": 1,
    "week": 7,
    "weeks": 7,
    "semana": 7,
    "semanas": 7,
    "semaine": 7,
    "semaines": 7,
    "woche": 7,
    "wochen": 7,
    "неделю": 7,
    "недели": 7,
    "недель": 7,
    "неделя": 7,
    "اسبوع": 7,
    "اسابيع": 7,
    "周": 7,
    "星期": 7,
    "month": 30,
    "months": 30,
    "mes": 30,
    "meses": 30,
    "mois": 30,
    "monat": 30,
    "monate": 30,
    "monaten": 30,
    "месяц": 30,
    "месяца": 30,
    "месяцев": 30,
    "شهر": 30,
    "اشهر": 30,
    "شهور": 30,
    "个月": 30,
    "月": 30,
}
_DURATION_UNITS = {fold_pattern(unit): days for unit, days in _DURATION_UNITS.items()}
_DUAL = {"اسبوعين": 14, "شهرين": -2, "يومين": 2}  # negative: calendar months
_WITHIN = fold_pattern(
    r"within|in the next|in|dentro de|en|em|no prazo de|dentro de|sous|dans|d'ici|dans un delai de|dans les|"
    r"innerhalb von|innerhalb|binnen|in den nachsten|в течение|за|через|в течении|خلال|في غضون|في خلال|في"
)
_WITHIN_STRONG = {
    "within",
    "dentro de",
    "no prazo de",
    "sous",
    "dans un delai de",
    "innerhalb von",
    "innerhalb",
    "binnen",
    "в течение",
    "в течении",
    "خلال",
    "في غضون",
    "في خلال",
    "in the next",
    "dans les",
    "d'ici",
}


@lru_cache(maxsize=1)
def _duration_pattern() -> re.Pattern[str]:
    unit_alt = "|".join(sorted((re.escape(u) for u in _DURATION_UNITS), key=len, reverse=True))
    return re.compile(
        r"(?<![\w])("
        + _WITHIN
        + r")\s+(?:the\s+|los\s+|les\s+|os\s+|next\s+|proximos\s+|prochains\s+|nachsten\s+|ближайш\w+\s+)?"
        r"(\S+(?:\s+\S+)?)\s*?(" + unit_alt + r")(?![\w])"
    )


def _durations(text: str, language: str) -> list[tuple[int, int, int, bool]]:
    """(start, end, days, strong) for "within 30 days", "в течение 45 дней", "30天内", "خلال أسبوعين"."""
    found = []
    numbers = {n.start: n for n in find_numbers(text, language)}
    for match in _duration_pattern().finditer(text):
        count_text = match.group(2)
        start2 = match.start(2)
        number = numbers.get(start2)
        if number is not None and number.end <= match.start(3) + 1:
            count = int(number.value)
        elif count_text.strip() in (
            "a",
            "one",
            "un",
            "una",
            "um",
            "uma",
            "une",
            "ein",
            "einem",
            "einer",
            "один",
            "одну",
            "одного",
            "واحد",
        ):
            count = 1
        else:
            continue
        days = count * _DURATION_UNITS[match.group(3)]
        if _DURATION_UNITS[match.group(3)] == 30:
            days = -count  # months: calendar arithmetic
        strong = match.group(1) in _WITHIN_STRONG
        found.append((match.start(), match.end(), days, strong))
    for match in re.finditer(r"(خلال|في غضون)\s+(" + "|".join(_DUAL) + r"|شهر|اسبوع)", text):
        word = match.group(2)
        days = _DUAL.get(word, -1 if word == "شهر" else 7)
        found.append((match.start(), match.end(), days, True))
    for match in re.finditer(
        r"(\d+|[一二两三四五六七八九十]+)\s*(天|个月|周|个星期)\s*(?:之内|以内|内)", text
    ):
        raw = match.group(1)
        count = int(raw) if raw.isdigit() else han_value(raw)
        unit = match.group(2)
        days = count if unit == "天" else count * 7 if unit in ("周", "个星期") else -count
        found.append((match.start(), match.end(), days, True))
    return found


def delivery_date(
    text: str, *, today: date, language: str, reserved: list[tuple[int, int]] = ()
) -> tuple[date, int, int] | None:
    """The delivery date in folded text, with its span, or None."""
    candidates: list[tuple[int, int, date]] = []
    patterns = _patterns()

    def free(start: int, end: int) -> bool:
        return not any(start < r_end and r_start < end for r_start, r_end in reserved)

    def add(start: int, end: int, day: date | None, *, strong: bool) -> None:
        if day is None or not free(start, end):
            return
        if not _in_delivery_context(text, start, end, strong=strong):
            return
        if day < today:
            return
        candidates.append((start, end, day))

    taken: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < t_end and t_start < end for t_start, t_end in taken)

    for match in patterns["iso"].finditer(text):
        year, month, day = (int(g) for g in match.groups())
        add(match.start(), match.end(), _safe(year, month, day), strong=True)
        taken.append(match.span())
    for match in patterns["dmy"].finditer(text):
        if overlaps(*match.span()):
            continue
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year = year + 2000 if year < 100 else year
        if second > 12 and first <= 12:
            day_value = _safe(year, first, second)
        else:
            day_value = _safe(year, second, first)
        add(match.start(), match.end(), day_value, strong=True)
        taken.append(match.span())
    for match in patterns["zh_full"].finditer(text):
        if overlaps(*match.span()):
            continue
        month, day = int(match.group(2)), int(match.group(3))
        if match.group(1):
            value = _safe(int(match.group(1)), month, day)
        else:
            value = _next_occurrence(today, month, day)
        add(match.start(), match.end(), value, strong=bool(match.group(1)))
        taken.append(match.span())
    for match in patterns["d_month"].finditer(text):
        if overlaps(*match.span()):
            continue
        month = _month_of(match.group(2))
        day = int(match.group(1))
        if month is None or not 1 <= day <= 31:
            continue
        value = (
            _safe(int(match.group(3)), month, day)
            if match.group(3)
            else _next_occurrence(today, month, day)
        )
        add(match.start(), match.end(), value, strong=bool(match.group(3)))
        taken.append(match.span())
    for match in patterns["month_d"].finditer(text):
        if overlaps(*match.span()):
            continue
        month = _month_of(match.group(1))
        day = int(match.group(2))
        if month is None or not 1 <= day <= 31:
            continue
        value = (
            _safe(int(match.group(3)), month, day)
            if match.group(3)
            else _next_occurrence(today, month, day)
        )
        add(match.start(), match.end(), value, strong=bool(match.group(3)))
        taken.append(match.span())
    for match in patterns["zh_month"].finditer(text):
        if overlaps(*match.span()):
            continue
        raw = match.group(3)
        month = int(raw) if raw.isdigit() else han_value(raw)
        if not 1 <= month <= 12:
            continue
        suffix = match.group(4) or ""
        year = int(match.group(1)) if match.group(1) else None
        if match.group(2):
            year = today.year + 1
        value = _month_point(today, month, year, suffix_kind(suffix))
        add(match.start(), match.end(), value, strong=bool(suffix) or year is not None)
        taken.append(match.span())
    for pattern_text, kind in _compiled_relative():
        for match in pattern_text.finditer(text):
            if overlaps(*match.span()):
                continue
            value = _relative(kind, today)
            add(
                match.start(),
                match.end(),
                value,
                strong=kind in ("next_month_end", "this_month_end", "year_end"),
            )
            taken.append(match.span())
    for match in patterns["month"].finditer(text):
        if overlaps(*match.span()):
            continue
        month_token = _month_group(match)
        month = _month_of(month_token)
        if month is None:
            continue
        qualified = match.group("end") or match.group("mid") or match.group("early")
        if month_token in _WEAK_MONTHS and not qualified:
            continue
        kind = (
            "end"
            if match.group("end")
            else "mid"
            if match.group("mid")
            else "early"
            if match.group("early")
            else "end"
        )
        year_text = match.groups()[-1]
        year = int(year_text) if year_text and year_text.isdigit() else None
        value = _month_point(today, month, year, kind)
        if value is not None and not qualified and _is_before(text, match.start()):
            value = value.replace(day=1) - timedelta(days=1)  # "before March": end of February
        add(match.start(), match.end(), value, strong=bool(qualified))
        taken.append(match.span())
    for start, end, days, strong in _durations(text, language):
        if overlaps(start, end):
            continue
        value = _add_months(today, -days) if days < 0 else today + timedelta(days=days)
        add(start, end, value, strong=strong)
        taken.append((start, end))
    if not candidates:
        return None
    candidates.sort()
    start, end, value = candidates[0]
    return value, start, end


def suffix_kind(suffix: str) -> str:
    if suffix in ("中", "中旬"):
        return "mid"
    if suffix in ("初", "上旬"):
        return "early"
    return "end"


def _month_group(match: re.Match[str]) -> str:
    groups = match.groups()
    # the month name is the group before the optional year
    return groups[-2] or ""


def _month_point(today: date, month: int, year: int | None, kind: str) -> date | None:
    if year is None:
        year = today.year if month >= today.month else today.year + 1
    try:
        if kind == "mid":
            return date(year, month, 15)
        if kind == "early":
            return date(year, month, 10)
        return _last_day(year, month)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _compiled_relative() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for pattern, kind in _RELATIVE:
        folded = fold_pattern(pattern)
        if re.match(r"[\u4e00-\u9fff]", pattern):
            out.append((re.compile(folded), kind))
        else:
            out.append((re.compile(r"(?<![\w])(?:" + folded + r")(?![\w])"), kind))
    return out


def _relative(kind: str, today: date) -> date | None:
    if kind == "year_end":
        return date(today.year, 12, 31)
    if kind == "next_month_end":
        nxt = _add_months(today.replace(day=1), 1)
        return _last_day(nxt.year, nxt.month)
    if kind == "this_month_end":
        return _last_day(today.year, today.month)
    if kind == "next_week_end":
        return today + timedelta(days=13 - today.weekday())
    if kind == "xmas_eve":
        return _next_occurrence(today, 12, 24)
    if kind == "xmas":
        return _next_occurrence(today, 12, 25)
    if kind == "cny":
        for year in sorted(_CNY):
            if _CNY[year] >= today:
                return _CNY[year]
    if kind == "ramadan":
        for year in sorted(_RAMADAN):
            if _RAMADAN[year] >= today:
                return _RAMADAN[year]
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
