"""Entities of a buyer message in EVAL.md's shape: items (SKU, quantity, unit), incoterm,
destination country and port, delivery date, target price, order number, competitor,
email and phone.

Everything runs on the folded text (`text.fold`); values that must be "as written"
(the port, the competitor, the email) are cut from the original text through the
folded-to-original index map.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import phonenumbers

from .catalog import unit_by_sku
from .dates import delivery_date
from .numbers import HAN_MEASURE, Number, find_numbers, parse_amount
from .places import PlaceMatch, find_places
from .products import Mention, find_cues, find_mentions
from .text import Folded, fold_pattern

INCOTERMS = ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")
_INCOTERM = re.compile(
    r"(?<![a-z0-9])(exw|fca|fas|fob|cfr|cif|cpt|cip|dap|dpu|ddp|c&f|c\+f|cnf|ddu)(?![a-z0-9])"
)
_INCOTERM_ALIASES = {"c&f": "CFR", "c+f": "CFR", "cnf": "CFR", "ddu": "DAP"}
_ORIGIN_TERMS = {"EXW", "FCA", "FAS", "FOB"}

_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_ORDER = re.compile(r"(?<![a-z0-9])(so|po|pi|ord)\s?[-#№]?\s?(20\d\d)[-\s/]?(\d{3,5})(?![0-9])")
_PHONE_KEYWORD = re.compile(
    fold_pattern(
        r"(?:tel|tél|phone|mobile|mob|cell|celular|móvil|movil|whatsapp|wa|telefone|telefono|teléfono|"
        r"тел|моб|телефон|هاتف|جوال|موبايل|واتساب|电话|手机|微信|handy|fon|portable|call me|llamar|ligar|"
        r"appeler|anrufen|позвон|اتصل|number|número|numero|numéro|nummer|номер|رقم|号码|unter|rückruf|erreichbar)"
    )
)

# -- money ---------------------------------------------------------------------------

_CURRENCIES = [
    (
        r"us\$|u\$s|usd|us\s?dollars?|dollars?|dolares|dolar|долл\.?|доллар\w*|дол\.|دولار\w*|美金|美元|刀|\$",
        "USD",
    ),
    (r"€|eur|euros?|евро|يورو|欧元", "EUR"),
    (r"r\$|brl|reais", "BRL"),
    (r"£|gbp|pounds?|libras?", "GBP"),
    (r"rmb|cny|人民币|元|块", "CNY"),
    (r"aed|dirhams?|درهم|дирхам\w*", "AED"),
    (r"sar|riyals?|ريال", "SAR"),
    (r"₽|rub|руб\.?|рубл\w*", "RUB"),
    (r"s/\.?|soles", "PEN"),
    (r"mxn", "MXN"),
    (r"₦|ngn|naira", "NGN"),
    (r"inr|₹|rupees?", "INR"),
]
_AMOUNT = r"(\d{1,3}(?:[ ,.']\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?)"
_PER_UNIT = re.compile(
    fold_pattern(
        r"/\s?(?:pc|pcs|piece|unit|set|roll|u|un|und|ud|uds|unid|stk|stück|st|шт|ед|个|只|台|片|套|卷)|per\s+(?:piece|pc|unit|set|roll)|each|"
        r"por\s+(?:unidad|pieza|unidade|peça|peca|rollo|rolo|juego)|la\s+pi[eè]ce|l'unit[ée]|par\s+pi[eè]ce|pro\s+st[üu]ck|"
        r"за\s+(?:штуку|шт|единицу|катушку|комплект|рулон)|للقطعة|للحبة|القطعة|للوحدة|一个|每个|每只|单价|unit\s+price|"
        r"precio\s+unitario|preço\s+unitário|prix\s+unitaire|st[üu]ckpreis|цена\s+за"
    )
)
_NOT_UNIT_PRICE = re.compile(
    fold_pattern(
        r"freight|shipping|flete|frete|fret|fracht|фрахт|доставк\w*|الشحن|运费|海运费|total|budget|"
        r"presupuesto|orçamento total|bonus|week|semana|неделю|месяц|month|salary|deposit|anticipo|depósito|предоплат\w*|定金"
    )
)
# "…at 3.80", "à 7,90", "по 23,50": a unit price without a currency is in the seller's (USD)
_BARE_PRICE = re.compile(
    r"(?<![\w])(?:at|@|a|à|zu|je|по|بسعر|بـ|单价)\s?(\d{1,4}[.,]\d{2})(?!\d|[.,]\d)(?!\s?(?:%|[a-z\u0400-\u04ff]{1,3}\b(?<!usd)(?<!eur)|x))"
)
# "多少钱一个" (how much for one): the "one" is not a quantity
_PER_PIECE = re.compile(
    r"(?:多少钱|什么价|价格|单价|价钱)\s*一\s*[个只台片套支盏卷件]|一\s*[个只台片套支盏卷件]\s*(?:多少钱|什么价|价格)"
)
_TARGET_WORD = re.compile(
    fold_pattern(
        r"target(?:\s+price)?|precio\s+objetivo|precio\s+meta|preço\s+alvo|preco\s+alvo|prix\s+cible|zielpreis|"
        r"целев\w+\s+цен\w+|السعر\s+المستهدف|目标价(?:格)?"
    )
)


@dataclass
class Extraction:
    entities: dict
    mentions: list[Mention]
    quantities: list["Quantity"]
    reserved: list[tuple[int, int]]


@dataclass
class Quantity:
    start: int
    end: int
    value: Decimal
    unit: str | None  # pcs, roll, carton, container20, container40 or None (bare number)
    counted: bool  # followed by a count noun ("pcs", "unidades", "шт", "个")


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _currency_pattern() -> re.Pattern[str]:
    alternation = "|".join(f"(?:{fold_pattern(p)})" for p, _ in _CURRENCIES)
    return re.compile(
        r"(?P<pre>"
        + alternation
        + r")\s?"
        + _AMOUNT
        + r"(?![\d])|(?<![\d.,])"
        + _AMOUNT
        + r"\s?(?P<post>"
        + alternation
        + r")(?![a-z\u0400-\u04ff])"
    )


_MONEY = _currency_pattern()


def _currency_code(token: str) -> str | None:
    token = token.strip()
    for pattern, code in _CURRENCIES:
        if re.fullmatch(fold_pattern(pattern), token):
            return code
    return None


def _prices(text: str) -> list[tuple[int, int, Decimal, str, bool]]:
    """(start, end, amount, currency, per_unit) for each money amount."""
    found = []
    for match in _MONEY.finditer(text):
        if match.group("pre"):
            token, raw = match.group("pre"), match.group(2)
        else:
            token, raw = match.group("post"), match.group(3)
        code = _currency_code(token)
        amount = parse_amount(raw)
        if code is None or amount is None:
            continue
        if token in ("元", "块", "刀") and not re.match(
            r"\d", text[match.start() : match.start() + 1]
        ):
            continue
        after = text[match.end() : match.end() + 22]
        before = text[max(0, match.start() - 30) : match.start()]
        per_unit = bool(_PER_UNIT.search(after) or _PER_UNIT.search(before[-12:]))
        if _NOT_UNIT_PRICE.search(before[-25:]) or _NOT_UNIT_PRICE.search(after[:14]):
            if not per_unit:
                continue
        found.append((match.start(), match.end(), amount, code, per_unit))
    if not found:
        for match in _BARE_PRICE.finditer(text):
            amount = parse_amount(match.group(1))
            if amount is not None and amount < 10_000:
                found.append((match.start(1), match.end(1), amount, "USD", True))
                break
    for match in _TARGET_WORD.finditer(text):
        tail = text[match.end() : match.end() + 16]
        number = re.match(r"[\s:：=of]*(?:is\s+|es\s+|de\s+|est\s+|ist\s+)?" + _AMOUNT, tail)
        if number and not any(
            p[0] <= match.end() + number.end() and match.end() < p[1] for p in found
        ):
            amount = parse_amount(number.group(1))
            start = match.end() + number.start(1)
            end = match.end() + number.end(1)
            if amount is not None and not re.match(r"\s?%", text[end : end + 2]):
                found.append((start, end, amount, "USD", True))
    found.sort()
    return found


def _amount_text(amount: Decimal) -> str:
    """A money amount with at least two decimals: "24.00", "8.50", "0.475"."""
    if amount.as_tuple().exponent >= -2:
        return str(amount.quantize(Decimal("0.01")))
    return str(amount.normalize())


# -- containers and count nouns --------------------------------------------------------

_CONTAINER_SIZE = r"(20|40|45)\s?(?:'|ft|feet|foot|pies|pes|pés|pieds|fuss|fuß|-?футов\w*|-?фут\w*|قدم|尺|英尺)?\s?(?:hq|hc|gp|dv|std|ot|rf)?"
_CONTAINER_NOUN = (
    r"containers?|contenedor(?:es)?|conteiner(?:es)?|contêiner(?:es)?|contentor(?:es)?|conteneurs?|"
    r"container|контейнер\w*|حاويات|حاوية|حاويه|柜|货柜|集装箱|高柜|平柜"
)
_CONTAINERS = [
    # 1x40HQ, 2 x 20GP, 3*40'
    re.compile(r"(?<![\d.,])(\d{1,2})\s?x\s?(20|40|45)\s?(?:'|ft)?\s?(hq|hc|gp|dv|ft|')"),
    # "2 contenedores de 20", "один 40-футовый контейнер", "ein 40-Fuß-Container"
    re.compile(
        fold_pattern(
            r"(?<![\w])(?P<count>\d{1,2}|one|two|three|a|an|un|una|um|uma|dos|tres|dois|duas|deux|trois|ein|einen|zwei|drei|один|одну|два|две|три)?\s*"
            r"(?:(?P<size1>20|40|45)\s?(?:'|ft|feet|foot|-?футов\w*|-?фут\w*|-?fuss|-?fuß|-?pies)?[\s-]*)?"
            r"(?:" + _CONTAINER_NOUN + r")(?:\s+(?:de|of|von|на|da|do))?\s*"
            r"(?:(?P<size2>20|40|45)\s?(?:'|ft|feet|foot|pies|pes|pieds|fuss|fuß|футов\w*|قدم|尺)?\s?(?:hq|hc|gp|dv)?)?"
        )
    ),
    # 一个40尺柜, 两个40HQ, 2个20GP
    re.compile(
        r"(?P<count>\d{1,2}|[一二两三四五])\s*个?\s*(?P<size2>20|40|45)\s*(?:尺|英尺|'|ft)?\s*(?:高柜|平柜|柜|货柜|hq|gp|hc)"
    ),
    # حاوية 40 قدم / حاويتين
    re.compile(r"(?P<count>\d{1,2}\s*)?(?:حاوية|حاويات|حاويتين)\s*(?P<size2>20|40|45)\s*(?:قدم)?"),
    # bare "40HQ" / "20GP"
    re.compile(r"(?<![\w])(?P<size2>20|40|45)\s?(?:hq|hc|gp|dv)(?![a-z])"),
]
_COUNT_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "un": 1,
    "una": 1,
    "um": 1,
    "uma": 1,
    "ein": 1,
    "einen": 1,
    "один": 1,
    "одну": 1,
    "two": 2,
    "dos": 2,
    "dois": 2,
    "duas": 2,
    "deux": 2,
    "zwei": 2,
    "два": 2,
    "две": 2,
    "three": 3,
    "tres": 3,
    "trois": 3,
    "drei": 3,
    "три": 3,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
}


def _containers(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for index, pattern in enumerate(_CONTAINERS):
        for match in pattern.finditer(text):
            if any(_overlaps(match.start(), match.end(), [(q.start, q.end)]) for q in found):
                continue
            if index == 0:
                count, size = match.group(1), match.group(2)
            else:
                groups = match.groupdict()
                count = (groups.get("count") or "").strip()
                size = groups.get("size1") or groups.get("size2")
            if not size:
                continue
            if index == 1 and not count and not groups.get("size1"):
                count = ""
            if index == 3 and "حاويتين" in match.group(0):
                count = "2"
            value = int(count) if count.isdigit() else _COUNT_WORDS.get(count, 1)
            unit = "container20" if size == "20" else "container40"
            found.append(Quantity(match.start(), match.end(), Decimal(value), unit, True))
    return found


_COUNT_NOUNS = [
    (
        r"pcs|pc|pieces?|units?|sets?|nos|ea|pzas?|pz|piezas?|unidades|unidad|uds?|und|unid|peças|pecas|pcs|"
        r"pièces|pieces|unités|unites|stück|stuck|stk|st|шт|штук[аи]?|ед|единиц\w*|комплект\w*|قطعة|قطع|حبة|وحدة|وحدات",
        "pcs",
    ),
    (
        r"rolls?|rollos?|rolos?|rouleaux|rouleau|rollen|rolle|катуш\w*|рулон\w*|бобин\w*|لفة|لفات",
        "roll",
    ),
    (
        r"cartons?|ctns?|boxes|box|cajas?|caixas?|kartons?|коробок|короб\w*|ящик\w*|كرتون|كراتين|صناديق",
        "carton",
    ),
    (
        r"samples?|muestras?|amostras?|échantillons?|echantillons?|muster|образ\w+|عينات|عينة|عينه",
        "pcs",
    ),
    (r"modules?|módulos?|modulos?|модул\w*", "pcs"),
]
_COUNT_NOUN = re.compile(
    r"\s?(?:"
    + "|".join(f"(?P<u{i}>{fold_pattern(p)})" for i, (p, _) in enumerate(_COUNT_NOUNS))
    + r")\.?(?![a-z\u0400-\u04ff\u0600-\u06ff])"
)
_HAN_COUNT = re.compile(r"\s?([" + HAN_MEASURE + r"]|卷|箱)")
_UNIT_WORDS_NOT_COUNT = (
    "k w kw kwh wh v ah mah a lm lumen lumens mm cm km m m2 m3 cbm kg g t ton tons inch in ft feet foot pies pes pés "
    "pieds fuss fuß футов фут hz hours hour hrs hr h minutes minute min days day dias dia días jours jour tage tagen "
    "tag днеи дня день дней суток weeks week semanas semana semaines semaine wochen woche недели недель неделю неделя "
    "months month meses mes mois monate monaten monat месяц месяца месяцев years year yrs anos ano años año ans an "
    "jahre jahren jahr лет года год вт квт в ватт вольт usd eur dollars dollar долл руб emails email mails mail "
    "correos correo письма писем times veces vezes fois mal раз раза am pm uhr ip"
)
_NOT_QUANTITY_AFTER = re.compile(
    r"\s?(?:(?:"
    + "|".join(
        sorted(
            {re.escape(fold_pattern(w)) for w in _UNIT_WORDS_NOT_COUNT.split()},
            key=len,
            reverse=True,
        )
    )
    + r")(?![a-z\u0400-\u04ff])|"
    + fold_pattern(
        r"%|％|x\s?\d|\"|''|°|:|h\d|€|\$|"
        r"قدم|يوم|يوما|ايام|اسبوع\w*|شهر|اشهر|سنة|سنوات|عام|واط|فولت|كيلوواط|دولار|رسائل|مرات|"
        r"天|日|号|周|星期|个月|月|年|瓦|伏|寸|米|美金|美元|元|封|次"
    )
    + ")"
)
_NOT_QUANTITY_BEFORE = re.compile(
    fold_pattern(
        r"(?:(?<![a-z\u0400-\u04ff])(?:tier|class|grade|type|tipo|typ|тип|ip|version|v|model|modelo|no\.|nr\.|n°|№|#|page|step|article|"
        r"sku|iec|iso|ce|ext|room|phase|fase|level|nivel|option|category|categoria|gen|"
        r"item|pos\.?|line|linea|línea|ligne|zeile|строка|пункт|bandera|top|rank|"
        r"hq|gp|cat|ral|ik|rohs|ul|cb)|\$|€|£|usd|eur|r\$|us\$)[\s.:-]*$"
    )
)
_LIST_MARKER = re.compile(r"(?:^|\n)\s*$")


# languages without articles mark "a sample" by the singular: "образец", "عينة"
_SINGULAR_SAMPLE = re.compile(
    r"(?<![\w])образец(?![\w])|(?<![\u0600-\u06ff])(?:و|ل)?عينة(?!\s*(?:واحدة|واحد))(?![\u0600-\u06ff])"
)
_ARABIC_DUAL = re.compile(
    r"(?<![\u0600-\u06ff])(?:و|ل)?(عينتين|عينتان|قطعتين|قطعتان|وحدتين|حبتين|كرتونين|لفتين)(?![\u0600-\u06ff])"
)


def _quantities(
    text: str, numbers: list[Number], reserved: list[tuple[int, int]]
) -> list[Quantity]:
    found: list[Quantity] = []
    for match in _SINGULAR_SAMPLE.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if not _overlaps(match.start(), match.end(), reserved) and not re.search(
            r"(?:\d|два|две|три|четыре|пять)\s*$", before
        ):
            found.append(Quantity(match.start(), match.end(), Decimal(1), "pcs", True))
    for match in _ARABIC_DUAL.finditer(text):
        if not _overlaps(match.start(), match.end(), reserved):
            unit = (
                "carton"
                if "كرتون" in match.group(1)
                else "roll"
                if "لفت" in match.group(1)
                else "pcs"
            )
            found.append(Quantity(match.start(), match.end(), Decimal(2), unit, True))
    for number in numbers:
        if _overlaps(number.start, number.end, reserved):
            continue
        after = text[number.end : number.end + 14]
        before = text[max(0, number.start - 12) : number.start]
        if number.kind == "digits" and re.match(r"[.)]\s", after) and _LIST_MARKER.search(before):
            continue  # "1. LED Panel Light…": a list marker
        if (
            number.kind == "digits"
            and re.match(r"\d{1,2}[.)]?$", number.text)
            and _LIST_MARKER.search(before)
            and re.match(r"[.)]", after)
        ):
            continue
        unit: str | None = None
        counted = False
        noun = _COUNT_NOUN.match(after)
        han = _HAN_COUNT.match(after)
        if noun:
            counted = True
            for index, (_, name) in enumerate(_COUNT_NOUNS):
                if noun.group(f"u{index}"):
                    unit = name
        elif han:
            counted = True
            unit = {"卷": "roll", "箱": "carton"}.get(han.group(1), "pcs")
        elif number.kind != "han" and _NOT_QUANTITY_AFTER.match(after):
            continue
        if number.kind == "digits" and _NOT_QUANTITY_BEFORE.search(before):
            continue
        if number.kind == "article" and not counted:
            continue
        value = number.value
        if value <= 0 or value > 10_000_000:
            continue
        if (
            number.kind == "digits"
            and 2020 <= value <= 2040
            and not counted
            and "." not in number.text
            and "," not in number.text
        ):
            continue
        end = number.end + (noun.end() if noun else han.end() if han else 0)
        found.append(Quantity(number.start, end, value, unit, counted))
    return found


# -- associating quantities with products ----------------------------------------------

_HARD_STOP = re.compile(r"[.!?;。！？；\n]")
_SOFT_STOP = re.compile(r"[,，:：、()（）]")
_CONJUNCTION = re.compile(
    fold_pattern(
        r"(?<![\w])(?:and|y|e|et|und|и|او|或|和|及|also|plus|además|ademas|aussi|auch|также)(?![\w])|\+|\bو"
    )
)


def _gap_cost(gap: str, *, forward: bool) -> float | None:
    """Cost of linking across `gap`; None when the gap separates them."""
    if _HARD_STOP.search(gap.replace("...", "")):
        # a hard stop is tolerated only as a dash-like separator in "Name - 2,000 pcs"
        return None
    if re.search(r"\d", gap):
        return None
    if forward and _SOFT_STOP.search(gap):
        return None
    words = (
        len(re.findall(r"[a-z\u0400-\u04ff\u0600-\u06ff]+", gap))
        + sum(1 for c in gap if "\u4e00" <= c <= "\u9fff") / 2
    )
    if words > 4 or len(gap) > 40:
        return None
    cost = len(gap.strip()) + 2 * words
    if _CONJUNCTION.search(gap):
        cost += 12  # "…inverters 100 units and 450W panels": the count closes the first item
    if not forward:
        cost += 3
    return cost


def _associate(
    text: str, mentions: list[Mention], quantities: list[Quantity]
) -> dict[int, Quantity]:
    """Which quantity belongs to which mention (index into mentions)."""
    pairs: list[tuple[float, int, int]] = []
    for qi, quantity in enumerate(quantities):
        for mi, mention in enumerate(mentions):
            if quantity.end + 40 < mention.start or mention.end + 40 < quantity.start:
                continue  # too far apart to belong together (and keeps long texts linear)
            if quantity.end <= mention.start:
                cost = _gap_cost(text[quantity.end : mention.start], forward=True)
            elif mention.end <= quantity.start:
                cost = _gap_cost(text[mention.end : quantity.start], forward=False)
            else:
                cost = None
            if cost is None:
                continue
            if not quantity.counted and quantity.unit is None:
                cost += 4
            pairs.append((cost, qi, mi))
    pairs.sort()
    used_q: set[int] = set()
    out: dict[int, Quantity] = {}
    for _, qi, mi in pairs:
        if qi in used_q or mi in out:
            continue
        used_q.add(qi)
        out[mi] = quantities[qi]
    # One product and one counted quantity left elsewhere in the message belong together.
    skus = {mention.sku for mention in mentions}
    free = [q for i, q in enumerate(quantities) if i not in used_q and q.counted]
    if len(skus) == 1 and free and not out:
        out[0] = free[0] if len(free) == 1 else free[0]
    return out


# -- places --------------------------------------------------------------------------

_ORIGIN_BEFORE = re.compile(
    fold_pattern(
        r"(?<![\w])(?:from|desde|из|от|من|von|ab|depuis|fob|fca|exw|fas|ex)\s*$|(?:从|自)\s*$"
    )
)
_DEST_BEFORE = re.compile(
    fold_pattern(
        r"(?:to|into|a|al|para|hacia|hasta|até|ate|pra|в|во|до|на|إلى|الى|ل|à|au|aux|vers|nach|bis|in|"
        r"到|至|运到|发到|送到|海运到|destination|destino|назначения|الوصول|bestimmungshafen|目的港|"
        r"cif|cfr|cnf|c&f|cpt|cip|dap|dpu|ddp|ddu|port of|puerto de|porto de|port de|hafen|порт|ميناء)[-\s:]*$"
    )
)
_INCOTERM_BEFORE = re.compile(
    r"(?:cif|cfr|cnf|c&f|cpt|cip|dap|dpu|ddp|ddu)[\s,:]*(?:port\s+|puerto\s+|porto\s+|порт\s+|ميناء\s+)?$"
)
_PORT_WORD_AFTER = re.compile(r"^\s*(?:港|港口)")


def _destination(folded: Folded, places: list[PlaceMatch]) -> tuple[str | None, str | None]:
    text = folded.text
    best: tuple[int, int, PlaceMatch] | None = None  # (priority, order)
    best_country: tuple[int, int, PlaceMatch] | None = None
    for order, place in enumerate(places):
        if place.country == "CN":
            continue
        before = text[max(0, place.start - 24) : place.start]
        if _INCOTERM_BEFORE.search(before):
            priority = 0
        elif _DEST_BEFORE.search(before):
            priority = 1
        elif _ORIGIN_BEFORE.search(before):
            priority = 3  # "from Kenya" is where the buyer is, or where goods leave
        else:
            priority = 2
        if place.capital_only:
            written = folded.span(place.start, place.end)
            if priority >= 2 and not written[:1].isupper():
                continue
        key = (priority, order, place)
        if place.is_country:
            if best_country is None or key[:2] < best_country[:2]:
                best_country = key
        elif best is None or key[:2] < best[:2]:
            best = key
    if best is not None:
        place = best[2]
        port = folded.span(place.start, place.end).strip()
        tail = folded.original[folded.origin[place.end - 1] + 1 :]
        if _PORT_WORD_AFTER.match(tail) and re.match(r"[\u4e00-\u9fff]", port):
            port = port + tail[0]
        country = place.country
        if (
            best_country is not None
            and best_country[2].country != country
            and best_country[0] <= best[0]
        ):
            # "Manzanillo, Panamá": a named country settles an ambiguous port
            if place.capital_only or folded.span(place.start, place.end) in (
                "Manzanillo",
                "Cartagena",
                "Valencia",
                "San Antonio",
            ):
                country = best_country[2].country
        return country, port
    if best_country is not None:
        return best_country[2].country, None
    return None, None


# -- competitors -------------------------------------------------------------------------

_COMPETITORS = [
    "Philips",
    "Signify",
    "Osram",
    "Ledvance",
    "Opple",
    "NVC",
    "Yankon",
    "TCL",
    "Panasonic",
    "Toshiba",
    "Havells",
    "Syska",
    "Wipro",
    "Crompton",
    "Bajaj",
    "Legrand",
    "Zumtobel",
    "Thorn",
    "Trilux",
    "Acuity",
    "Lithonia",
    "Cree",
    "Feit",
    "Sylvania",
    "Mean Well",
    "Meanwell",
    "Inventronics",
    "Tridonic",
    "FSL",
    "Foshan Lighting",
    "Yeelight",
    "Xiaomi",
    "Midea",
    "Sunmoon",
    "Jinko",
    "JinkoSolar",
    "LONGi",
    "Longi",
    "Trina",
    "Trina Solar",
    "JA Solar",
    "Canadian Solar",
    "Risen",
    "Astronergy",
    "Tongwei",
    "Huawei",
    "Sungrow",
    "Growatt",
    "Deye",
    "GoodWe",
    "Goodwe",
    "Solis",
    "Ginlong",
    "SMA",
    "Fronius",
    "Victron",
    "Enphase",
    "SolarEdge",
    "Voltronic",
    "Felicity",
    "Luminous",
    "Sofar",
    "SolaX",
    "Solax",
    "Kstar",
    "BYD",
    "CATL",
    "Pylontech",
    "Dyness",
    "EVE Energy",
    "Tesla",
    "ABB",
    "Schneider",
    "Siemens",
    "Zaptec",
    "Easee",
    "Autel",
    "ChargePoint",
    "Delta Electronics",
    "Chint",
    "CHINT",
    "Eaton",
    "Hager",
    "Gewiss",
    "Navigator",
    "Gauss",
    "Feron",
    "Camelion",
    "Jazzway",
    "IEK",
    "ЭРА",
    "Lemanso",
    "Eglo",
    "Ikea",
    "IKEA",
    "Aldi",
    "Amazon",
    "Alibaba",
    "Made-in-China",
    "Lightning Supply",
    "Leyard",
    "Hikvision",
    "Mingyang",
    "Sunpower",
    "SunPower",
    "REC",
    "Qcells",
    "Q Cells",
    "Hanwha",
    "Seraphim",
    "Suntech",
    "DAH Solar",
    "Znshine",
    "Ulica",
    "Tongwei",
    "Sunova",
    "Hoymiles",
    "APsystems",
    "Kehua",
    "Invt",
    "INVT",
    "Must",
    "飞利浦",
    "欧司朗",
    "朗德万斯",
    "欧普",
    "雷士",
    "阳光照明",
    "三雄极光",
    "佛山照明",
    "华为",
    "阳光电源",
    "古瑞瓦特",
    "固德威",
    "德业",
    "锦浪",
    "晶科",
    "隆基",
    "天合",
    "晶澳",
    "比亚迪",
    "宁德时代",
    "正泰",
    "公牛",
    "小米",
    "特斯拉",
    "施耐德",
    "西门子",
    "首航",
    "派能",
    "阿特斯",
    "通威",
    "Филипс",
    "Осрам",
    "Хуавей",
    "Навигатор",
    "Гаусс",
    "Ферон",
    "ИЭК",
    "Ледванс",
    "Сигнифай",
    "فيليبس",
    "فيلبس",
    "اوسرام",
    "أوسرام",
    "هواوي",
    "ليدفانس",
    "سيجنيفاي",
    "جينكو",
    "لونجي",
    "جروات",
]
_WEAK_COMPETITORS = {
    "Must",
    "Risen",
    "Thorn",
    "Luminous",
    "Amazon",
    "Aldi",
    "Navigator",
    "Gauss",
    "REC",
    "Delta",
    "Solis",
    "Ulica",
    "Ikea",
}


def _competitor_pattern() -> re.Pattern[str]:
    names = sorted({fold_pattern(name) for name in _COMPETITORS}, key=len, reverse=True)
    alternation = "|".join(re.escape(name).replace(r"\ ", r"[\s-]?") for name in names)
    return re.compile(
        r"(?<![a-z0-9\u0400-\u04ff\u0600-\u06ff])("
        + alternation
        + r")(?:'s)?(?![a-z0-9\u0400-\u04ff\u0600-\u06ff])|("
        + "|".join(
            re.escape(fold_pattern(n)) for n in _COMPETITORS if re.match(r"[\u4e00-\u9fff]", n)
        )
        + ")"
    )


_COMPETITOR = _competitor_pattern()
_WEAK = {fold_pattern(name) for name in _WEAK_COMPETITORS}


def _competitor(folded: Folded) -> str | None:
    for match in _COMPETITOR.finditer(folded.text):
        group = 1 if match.group(1) else 2
        written = folded.span(match.start(group), match.end(group))
        if match.group(group) in _WEAK and not written[:1].isupper():
            continue
        if (
            written.isupper()
            and len(written) <= 3
            and match.group(group) not in ("nvc", "tcl", "byd", "abb", "fsl", "iek", "sma", "rec")
        ):
            continue
        if match.group(group) == "sma" and written != "SMA":
            continue
        return written
    return None


# -- phones --------------------------------------------------------------------------------


def _phones(folded: Folded, masked: str, region: str) -> tuple[str | None, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    first: str | None = None
    try:
        matcher = phonenumbers.PhoneNumberMatcher(
            masked, region or "US", leniency=phonenumbers.Leniency.VALID
        )
        matches = list(matcher)
    except Exception:  # noqa: BLE001 - a library edge case must not fail the whole message
        matches = []
    for match in matches:
        raw = match.raw_string
        before = masked[max(0, match.start - 30) : match.start]
        international = raw.lstrip().startswith(("+", "00"))
        digits = re.sub(r"\D", "", raw)
        # a national number counts after "tel:", "call me at"… or when it looks like one:
        # nine digits or more, written with a trunk "0", brackets or separators
        looks_like_phone = len(digits) >= 9 and (
            raw.lstrip().startswith(("0", "(")) or re.search(r"\d[\s-]\d", raw)
        )
        if not international and not _PHONE_KEYWORD.search(before) and not looks_like_phone:
            continue
        if len(digits) < 8:
            continue
        spans.append((match.start, match.end))
        if first is None:
            first = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return first, spans


# -- the whole message ---------------------------------------------------------------------


def extract(folded: Folded, *, language: str, today: date, region: str = "") -> Extraction:
    text = folded.text
    reserved: list[tuple[int, int]] = []

    emails = list(_EMAIL.finditer(text))
    email = folded.span(*emails[0].span()) if emails else None
    reserved += [m.span() for m in emails]
    urls = [m.span() for m in re.finditer(r"(?:https?://|www\.)\S+", text)]
    reserved += urls

    orders = list(_ORDER.finditer(text))
    order_number = None
    if orders:
        match = orders[0]
        order_number = f"{match.group(1).upper()}-{match.group(2)}-{match.group(3)}"
    reserved += [m.span() for m in orders]

    masked = list(text)
    for start, end in reserved:
        masked[start:end] = " " * (end - start)
    phone, phone_spans = _phones(folded, "".join(masked), region)
    reserved += phone_spans

    delivery = delivery_date(text, today=today, language=language, reserved=reserved)
    if delivery is not None:
        reserved.append((delivery[1], delivery[2]))

    prices = [p for p in _prices(text) if not _overlaps(p[0], p[1], reserved)]
    target_price = None
    if prices:
        chosen = next((p for p in prices if p[4]), prices[0])
        if chosen[2] <= 100_000:
            target_price = {"amount": _amount_text(chosen[2]), "currency": chosen[3]}
    reserved += [(p[0], p[1]) for p in prices]
    reserved += [m.span() for m in re.finditer(r"\d+(?:[.,]\d+)?\s?%", text)]
    reserved += [m.span() for m in _PER_PIECE.finditer(text)]

    containers = [c for c in _containers(text) if not _overlaps(c.start, c.end, reserved)]
    reserved += [(c.start, c.end) for c in containers]

    cues = find_cues(text)
    mentions = find_mentions(text, cues)
    cue_spans = [(c.start, c.end) for c in cues]
    numbers = find_numbers(text, language)
    quantities = _quantities(text, numbers, reserved + cue_spans) + containers
    quantities.sort(key=lambda q: q.start)
    linked = _associate(text, mentions, quantities)

    units = unit_by_sku()
    items: list[dict] = []
    index_by_sku: dict[str, int] = {}
    for mi, mention in enumerate(mentions):
        quantity = linked.get(mi)
        entry = {"sku": mention.sku, "quantity": None, "unit": None}
        if quantity is not None:
            value = quantity.value
            entry["quantity"] = int(value) if value == value.to_integral_value() else value
            unit = (
                quantity.unit if quantity.unit in ("carton", "container20", "container40") else None
            )
            entry["unit"] = unit or units.get(mention.sku, "pcs")
        if mention.sku in index_by_sku:
            previous = items[index_by_sku[mention.sku]]
            if previous["quantity"] is None and entry["quantity"] is not None:
                items[index_by_sku[mention.sku]] = entry
            continue
        index_by_sku[mention.sku] = len(items)
        items.append(entry)

    incoterm = None
    for match in _INCOTERM.finditer(text):
        token = match.group(1)
        if token == "fas" and folded.span(*match.span()) != "FAS":
            continue
        if token in ("cip", "cpt", "dap", "dpu") and not folded.span(*match.span()).isupper():
            after = text[match.end() : match.end() + 20]
            if not re.match(r"\s+[a-z\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]", after):
                continue
        incoterm = _INCOTERM_ALIASES.get(token, token.upper())
        break

    country, port = _destination(folded, find_places(text))
    entities = {
        "items": items,
        "incoterm": incoterm,
        "destination_country": country,
        "destination_port": port,
        "delivery_date": delivery[0].isoformat() if delivery else None,
        "target_price": target_price,
        "order_number": order_number,
        "competitor": _competitor(folded),
        "email": email.lower() if email else None,
        "phone": phone,
    }
    return Extraction(
        entities=entities, mentions=mentions, quantities=quantities, reserved=reserved
    )
