"""Which catalog products a message names, from names, synonyms, specs and trade slang
in eight languages, including misspellings.

A message is scanned for cues: product nouns ("flood light", "прожектор", "投光灯"),
specs ("200W", "600x600", "6 inch", "12.8V"), modifiers ("solar", "hybrid", "mono") and
the catalog's own SKUs and translated names. Cues that sit next to each other form one
mention; the mention is the product its cues vote for. A spec alone ("450W") is not a
mention; "450W mono panel" is.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz, process

from .catalog import catalog_products, sku_by_watts
from .text import PatternGate, fold_pattern

LP, HB, SL, T8, FL, PV = "LP-6060-40", "HB-UFO-150", "SL-AIO-100", "T8-120-18", "FL-200", "PV-M450"
BAT, EVC, INV, STR, BL, DL = (
    "BAT-LFP-12100",
    "EVC-7K",
    "INV-H5K",
    "STR-5050-RGB",
    "BL-A60-9",
    "DL-6-12",
)
LIGHTING = (LP, HB, SL, T8, FL, BL, DL, STR)

# weights: a cue of this kind alone is enough (>= 2) or needs company (< 2)
STRONG, NOUN, SPEC, MODIFIER, GENERIC = 3.0, 2.0, 1.5, 1.0, 0.5

B = r"(?<![a-z\u0400-\u04ff0-9])"  # left word boundary for Latin and Cyrillic words
E = r"(?![a-z\u0400-\u04ff0-9])"  # right word boundary

# (pattern, {sku: weight})
_CUES: list[tuple[str, dict[str, float]]] = [
    # LED panel light 600x600 40W
    (B + r"panel[\s-]?lights?" + E, {LP: STRONG}),
    (B + r"led[\s-]?pane(?:l|ls|le|len|ele|els|eels|eel)" + E, {LP: STRONG}),
    (B + r"panel(?:es|s)?\s+(?:de\s+)?led" + E, {LP: STRONG}),
    (B + r"pain(?:el|eis)\s+(?:de\s+)?led" + E, {LP: STRONG}),
    (B + r"panneaux?\s+(?:a\s+)?led" + E, {LP: STRONG}),
    (B + r"(?:flat|ceiling|recessed)\s+panels?" + E, {LP: STRONG}),
    (B + r"troffers?" + E, {LP: STRONG}),
    (B + r"светодиодн\w*\s+панел\w*", {LP: STRONG}),
    (B + r"led[\s-]?панел\w*", {LP: STRONG}),
    (B + r"панел\w*\s+led", {LP: STRONG}),
    (r"面板灯|平板灯|led面板|面板|平板", {LP: STRONG}),
    (r"لوح(?:ة|ات)?\s+(?:ال)?اضاءة|بانل|بانيل|البانل|بنل", {LP: STRONG}),
    (B + r"(?:600|595|620|60|62)\s?x\s?(?:600|595|620|60|62)(?:\s?(?:mm|cm))?" + E, {LP: 2.5}),
    (B + r"2\s?x\s?2\s?(?:ft|')", {LP: SPEC}),
    (B + r"pain(?:el|eis)" + E, {LP: NOUN, PV: NOUN}),
    (B + r"panel(?:es|s)?" + E, {LP: NOUN, PV: NOUN}),
    (B + r"panneaux?" + E, {LP: NOUN, PV: NOUN}),
    (B + r"pane(?:l|le|len|els)" + E, {LP: NOUN, PV: NOUN}),
    (B + r"панел\w*", {LP: NOUN, PV: NOUN}),
    (r"لوح|الواح|لوحة", {LP: 1.0, PV: 1.0}),
    # UFO high bay 150W
    (B + r"ufos?" + E, {HB: STRONG}),
    (B + r"high[\s-]?bays?" + E, {HB: STRONG}),
    (B + r"campanas?" + E, {HB: STRONG}),
    (B + r"cloches?" + E, {HB: STRONG}),
    (B + r"hallen(?:tief)?(?:strahler|leuchte|lampe)\w*", {HB: STRONG}),
    (
        B + r"(?:industrial|warehouse|factory)\s+(?:lights?|lamps?|luminaires?|lighting)" + E,
        {HB: STRONG},
    ),
    (B + r"luminarias?\s+industriai?s" + E, {HB: STRONG}),
    (B + r"luminarias?\s+industrial(?:es)?" + E, {HB: STRONG}),
    (B + r"промышленн\w*\s+светильник\w*", {HB: STRONG}),
    (B + r"(?:хайбей|хай-бей)\w*", {HB: STRONG}),
    (r"工矿灯|天棚灯|高棚灯", {HB: STRONG}),
    (r"هاي\s?باي|كشافات?\s+صناعي(?:ة)?|اضاءة\s+صناعية", {HB: STRONG}),
    # all-in-one solar street light 100W
    (B + r"(?:solar\s+)?street[\s-]?(?:lights?|lamps?|lighting)" + E, {SL: STRONG}),
    (B + r"all[\s-]?in[\s-]?one" + E, {SL: STRONG}),
    (B + r"aio" + E, {SL: STRONG}),
    (B + r"farol(?:a|as|es)" + E, {SL: STRONG}),
    (B + r"luminarias?\s+(?:publicas?\s+)?solar(?:es)?" + E, {SL: STRONG}),
    (B + r"luminarias?\s+solar(?:es)?\s+de\s+rua" + E, {SL: STRONG}),
    (
        B + r"(?:alumbrado|luminaria|iluminacao|iluminacion)\s+(?:publica|vial|de\s+rua)" + E,
        {SL: STRONG},
    ),
    (B + r"postes?\s+solar(?:es)?" + E, {SL: STRONG}),
    (B + r"todo\s+en\s+uno" + E, {SL: STRONG}),
    (B + r"tudo[\s-]em[\s-]um" + E, {SL: STRONG}),
    (B + r"tout[\s-]en[\s-]un" + E, {SL: STRONG}),
    (B + r"lampadaires?" + E, {SL: STRONG}),
    (B + r"eclairage\s+public" + E, {SL: STRONG}),
    (B + r"(?:solar)?stra(?:ss|ß)en(?:leuchte|lampe|laterne|beleuchtung)\w*", {SL: STRONG}),
    (B + r"solarleuchte\w*", {SL: STRONG}),
    (B + r"уличн\w*\s+(?:солнечн\w*\s+)?(?:светильник|фонар)\w*", {SL: STRONG}),
    (B + r"солнечн\w*\s+уличн\w*\s+(?:светильник|фонар)\w*", {SL: STRONG}),
    (B + r"фонар\w*", {SL: STRONG}),
    (B + r"вс[её]\s+в\s+одном" + E, {SL: STRONG}),
    (r"太阳能路灯|路灯|一体化", {SL: STRONG}),
    (r"(?:ال)?(?:اعمدة|عمود|اعمده)(?!\s*(?:ال)?(?:انارة|اناره))", {SL: NOUN}),
    (
        r"(?:اعمدة|عمود|اعمده)\s*(?:ال)?(?:انارة|اناره)|انارة\s+(?:الشوارع|شوارع)|كشاف(?:ات)?\s+شمسي(?:ة)?",
        {SL: STRONG},
    ),
    (r"متكامل(?:ة)?", {SL: MODIFIER}),
    # T8 tube 1.2m 18W
    (B + r"t8" + E, {T8: STRONG}),
    (B + r"tubes?" + E, {T8: STRONG}),
    (B + r"tubos?" + E, {T8: STRONG}),
    (B + r"tubular(?:es)?" + E, {T8: STRONG}),
    (B + r"(?:led[\s-]?)?(?:leuchtstoff)?rohren?" + E, {T8: STRONG}),
    (B + r"(?:fluorescent|fluorescentes?)" + E, {T8: NOUN}),
    (B + r"трубк\w*", {T8: STRONG}),
    (r"灯管|日光灯", {T8: STRONG}),
    (r"انبوب|انابيب|نيون", {T8: STRONG}),
    (B + r"1[.,]2\s?(?:m|м|mts?|metros?|meter|metre|متر|米)" + E, {T8: SPEC}),
    (r"1[.,]2\s?(?:米|متر)", {T8: SPEC}),
    (B + r"(?:120\s?cm|4\s?(?:ft|feet|foot|'))" + E, {T8: SPEC}),
    # flood light 200W
    (B + r"flood[\s-]?lights?" + E, {FL: STRONG}),
    (B + r"floodlights?" + E, {FL: STRONG}),
    (B + r"(?:flood|flod|fload)[\s-]?(?:lite|lites|ligth|ligths|lihgt|light)s?" + E, {FL: STRONG}),
    (B + r"reflectore?s?" + E, {FL: STRONG}),
    (B + r"refletore?s?" + E, {FL: STRONG}),
    (B + r"projecteurs?" + E, {FL: STRONG}),
    (B + r"fluter\w*", {FL: STRONG}),
    (B + r"flutlicht\w*", {FL: STRONG}),
    (B + r"(?:led[\s-]?)?scheinwerfer\w*", {FL: STRONG}),
    (B + r"прожектор\w*", {FL: STRONG}),
    (r"投光灯|泛光灯", {FL: STRONG}),
    (r"كشاف(?:ات)?|كشافات", {FL: NOUN, HB: 1.5}),
    # mono solar panel 450W
    (B + r"solar\s+(?:pv\s+)?(?:panels?|modules?)" + E, {PV: STRONG}),
    (B + r"pv\s+(?:panels?|modules?)" + E, {PV: STRONG}),
    (
        B + r"(?:panel(?:es)?|placas?|modulos?)\s+(?:solar(?:es)?|fotovoltaic[oa]s?)" + E,
        {PV: STRONG},
    ),
    (
        B + r"(?:painel|paineis|placas?|modulos?)\s+(?:solar(?:es)?|fotovoltaic[oa]s?)" + E,
        {PV: STRONG},
    ),
    (B + r"(?:panneaux?|modules?)\s+(?:solaires?|photovolta\w+|pv)" + E, {PV: STRONG}),
    (B + r"(?:solar|pv|photovoltaik)[\s-]?(?:modul|panel|paneel)\w*", {PV: STRONG}),
    (B + r"солнечн\w*\s+(?:панел|модул|батаре)\w*", {PV: STRONG}),
    (B + r"(?:фотоэлектрическ|фотовольтаическ)\w*\s+(?:панел|модул)\w*", {PV: STRONG}),
    (r"太阳能板|太阳能电池板|电池板|光伏板|光伏组件|组件|太阳能光伏板", {PV: STRONG}),
    (
        r"(?:لوح|الواح|اللوح|الالواح|لوحة|لوحات)\s+(?:ال)?(?:طاقة\s+)?(?:ال)?شمسي(?:ة)?",
        {PV: STRONG},
    ),
    (r"(?:الواح|لوح|لوحات)\s+(?:ال)?طاقة\s+(?:ال)?شمسية", {PV: STRONG}),
    (B + r"mod(?:ule|ulo|ulos|ules|ul|ule)" + E, {PV: NOUN}),
    (B + r"модул\w*", {PV: NOUN}),
    (
        B + r"mono(?:crystalline|cristalino|cristallin|kristallin\w*|cristalina)?" + E,
        {PV: MODIFIER},
    ),
    (B + r"монокристалл\w*", {PV: MODIFIER}),
    (r"احادي(?:ة)?\s+البلورة|单晶硅?", {PV: MODIFIER}),
    (B + r"tier[\s-]?1" + E, {PV: MODIFIER}),
    # LiFePO4 battery 12.8V 100Ah
    (B + r"lifepo4?" + E, {BAT: STRONG}),
    (B + r"lfp" + E, {BAT: STRONG}),
    (B + r"batter(?:y|ies)" + E, {BAT: STRONG}),
    (B + r"baterias?" + E, {BAT: STRONG}),
    (B + r"batteries?" + E, {BAT: STRONG}),
    (B + r"akku(?:s|mulator\w*)?" + E, {BAT: STRONG}),
    (B + r"аккумулятор\w*", {BAT: STRONG}),
    (B + r"батаре\w*", {BAT: STRONG}),
    (B + r"акб" + E, {BAT: STRONG}),
    (B + r"lithium|litio|litio|литиев\w*|литий\w*", {BAT: NOUN}),
    (r"磷酸铁锂|锂电池|电池|锂电", {BAT: STRONG}),
    (r"بطاري(?:ة|ات|ه)|ليثيوم", {BAT: STRONG}),
    (r"12[.,]8\s?(?:v|в|فولت|伏)(?![a-z])", {BAT: 2.5}),
    (r"(?<![0-9])100\s?(?:ah|а\s?·?\s?ч|ач|امبير(?:\s+ساعة)?|安时?)(?![a-z])", {BAT: 2.5}),
    # wallbox EV charger 7kW type 2
    (B + r"ev[\s-]?chargers?" + E, {EVC: STRONG}),
    (B + r"(?:ev\s+)?charging\s+(?:stations?|points?|piles?)" + E, {EVC: STRONG}),
    (B + r"chargers?" + E, {EVC: STRONG}),
    (B + r"wall[\s-]?box\w*", {EVC: STRONG}),
    (B + r"cargador(?:es)?" + E, {EVC: STRONG}),
    (B + r"carregador(?:es)?" + E, {EVC: STRONG}),
    (B + r"bornes?" + E, {EVC: STRONG}),
    (B + r"chargeurs?" + E, {EVC: STRONG}),
    (B + r"lade(?:station|saule|gerat|punkt|box)\w*", {EVC: STRONG}),
    (B + r"зарядн\w*", {EVC: STRONG}),
    (
        B + r"(?:estaci(?:o|ó)n|estacao|station)\s+de\s+(?:carga|recarga|recharge)" + E,
        {EVC: STRONG},
    ),
    (r"充电桩|充电器|充电站", {EVC: STRONG}),
    (r"شاحن(?!ة|ات)|شواحن", {EVC: STRONG}),
    (B + r"(?:type|tipo|typ|тип)\s?2" + E, {EVC: SPEC}),
    (B + r"(?:vehiculos?|veiculos?|vehicules?|electric\s+vehicles?|ev)" + E, {EVC: MODIFIER}),
    (B + r"электромобил\w*", {EVC: MODIFIER}),
    (r"السيارات\s+الكهربائية|سيارات\s+كهربائية|电动汽车|电动车", {EVC: MODIFIER}),
    # hybrid inverter 5kW
    (B + r"inverters?" + E, {INV: STRONG}),
    (B + r"inversor(?:es)?" + E, {INV: STRONG}),
    (B + r"onduleurs?" + E, {INV: STRONG}),
    (B + r"(?:solar)?wechselrichter\w*", {INV: STRONG}),
    (B + r"инвертор\w*", {INV: STRONG}),
    (r"逆变器|逆变", {INV: STRONG}),
    (r"عاكس(?:ات)?|انفرتر|انفيرتر|العاكس", {INV: STRONG}),
    (B + r"(?:hybrid|hibrid[oa]s?|hybride?s?|hybrid\w*)" + E, {INV: MODIFIER}),
    (B + r"гибридн\w*", {INV: MODIFIER}),
    (r"混合型?|هجين(?:ة)?", {INV: MODIFIER}),
    # LED strip 5050 RGB
    (B + r"(?:led\s+|light\s?)?strips?" + E, {STR: STRONG}),
    (B + r"tiras?" + E, {STR: STRONG}),
    (B + r"fitas?" + E, {STR: STRONG}),
    (B + r"rubans?" + E, {STR: STRONG}),
    (B + r"bandes?\s+(?:a\s+)?(?:led|lumineuses?)" + E, {STR: STRONG}),
    (B + r"cintas?\s+(?:de\s+)?led" + E, {STR: STRONG}),
    (B + r"led[\s-]?(?:tapes?|band|bander)" + E, {STR: STRONG}),
    (B + r"(?:led[\s-]?)?(?:streifen|lichtband|lichtschlauch)\w*", {STR: STRONG}),
    (B + r"(?:светодиодн\w*\s+)?лент\w*", {STR: STRONG}),
    (r"灯带|灯条|软灯条", {STR: STRONG}),
    (r"شريط|شرائط|الشريط", {STR: STRONG}),
    (B + r"5050" + E, {STR: 2.5}),
    (B + r"rgb" + E, {STR: SPEC}),
    # LED bulb A60 9W E27
    (B + r"bulbs?" + E, {BL: STRONG}),
    (B + r"bombill(?:a|as|o|os)" + E, {BL: STRONG}),
    (B + r"focos?" + E, {BL: NOUN}),
    (B + r"ampoules?" + E, {BL: STRONG}),
    (B + r"(?:gluh)?birnen?" + E, {BL: STRONG}),
    (B + r"leuchtmittel" + E, {BL: NOUN}),
    (r"球泡灯|球泡|灯泡", {BL: STRONG}),
    (r"لمب(?:ة|ات|ه)", {BL: NOUN, T8: 1.0}),
    (r"مصباح|مصابيح", {BL: NOUN, T8: 1.0}),
    (B + r"a60" + E, {BL: 2.5}),
    (B + r"e27" + E, {BL: SPEC}),
    (B + r"lampadas?" + E, {BL: 1.6, T8: 1.5}),
    (B + r"lamparas?" + E, {BL: 1.6, T8: 1.5}),
    (B + r"lamps?" + E, {BL: 1.6, T8: 1.5}),
    (B + r"lampes?" + E, {BL: 1.6, T8: 1.5}),
    (B + r"lampen?" + E, {BL: 1.6, T8: 1.5}),
    (B + r"ламп\w*", {BL: 1.6, T8: 1.5}),
    # downlight 6 inch 12W
    (B + r"down[\s-]?lights?" + E, {DL: STRONG}),
    (B + r"даунлайт\w*", {DL: STRONG}),
    (r"筒灯", {DL: STRONG}),
    (r"سبوت|داونلايت", {DL: STRONG}),
    (B + r"(?:einbau(?:strahler|leuchte)|spots?\s+encastr\w*)\w*", {DL: STRONG}),
    (
        r"(?<![0-9.,])6\s?(?:inch(?:es)?|in\b|\"|''|pulgadas?|polegadas?|pouces?|zoll|дюйм\w*|بوصات|بوصة|انش|寸)",
        {DL: 2.0},
    ),
    # generic lighting words: only with a spec
    (
        B
        + r"(?:lights?|lighting|luminaires?|luminarias?|leuchten?|светильник\w*|светильни\w*)"
        + E,
        {sku: GENERIC for sku in LIGHTING},
    ),
    (r"(?:الاضاءة|اضاءة|灯具|灯)", {sku: GENERIC for sku in LIGHTING}),
    (B + r"solar(?:es)?|solaires?|солнечн\w*" + E, {PV: MODIFIER, SL: MODIFIER, INV: MODIFIER}),
    (r"太阳能|شمسي(?:ة)?", {PV: MODIFIER, SL: MODIFIER, INV: MODIFIER}),
]

_WATTS = re.compile(
    r"(?<![0-9.,a-z])(\d+(?:[.,]\d+)?)\s?(?:-\s?)?"
    r"(kw|квт|كيلو\s?واط|كيلوواط|千瓦|w|watts?|вт|ватт\w*|واط|وات|瓦)(?![a-z\u0400-\u04ff])"
)

# Plain words a misspelling is matched against, and what each stands for.
_FUZZY_WORDS: dict[str, dict[str, float]] = {
    "floodlight": {FL: STRONG},
    "floodlights": {FL: STRONG},
    "reflector": {FL: STRONG},
    "reflectores": {FL: STRONG},
    "refletor": {FL: STRONG},
    "refletores": {FL: STRONG},
    "projecteur": {FL: STRONG},
    "projecteurs": {FL: STRONG},
    "prozhektor": {FL: STRONG},
    "прожектор": {FL: STRONG},
    "прожекторы": {FL: STRONG},
    "downlight": {DL: STRONG},
    "downlights": {DL: STRONG},
    "даунлайт": {DL: STRONG},
    "highbay": {HB: STRONG},
    "hallenstrahler": {HB: STRONG},
    "inverter": {INV: STRONG},
    "inverters": {INV: STRONG},
    "inversor": {INV: STRONG},
    "inversores": {INV: STRONG},
    "onduleur": {INV: STRONG},
    "onduleurs": {INV: STRONG},
    "wechselrichter": {INV: STRONG},
    "инвертор": {INV: STRONG},
    "battery": {BAT: STRONG},
    "batteries": {BAT: STRONG},
    "bateria": {BAT: STRONG},
    "baterias": {BAT: STRONG},
    "batterie": {BAT: STRONG},
    "аккумулятор": {BAT: STRONG},
    "аккумуляторы": {BAT: STRONG},
    "charger": {EVC: STRONG},
    "chargers": {EVC: STRONG},
    "cargador": {EVC: STRONG},
    "cargadores": {EVC: STRONG},
    "carregador": {EVC: STRONG},
    "carregadores": {EVC: STRONG},
    "wallbox": {EVC: STRONG},
    "ladestation": {EVC: STRONG},
    "lampadaire": {SL: STRONG},
    "lampadaires": {SL: STRONG},
    "farola": {SL: STRONG},
    "farolas": {SL: STRONG},
    "streetlight": {SL: STRONG},
    "streetlights": {SL: STRONG},
    "bombilla": {BL: STRONG},
    "bombillas": {BL: STRONG},
    "ampoule": {BL: STRONG},
    "ampoules": {BL: STRONG},
    "lifepo4": {BAT: STRONG},
    "panel": {LP: NOUN, PV: NOUN},
    "panels": {LP: NOUN, PV: NOUN},
    "paneles": {LP: NOUN, PV: NOUN},
    "paineis": {LP: NOUN, PV: NOUN},
    "panneaux": {LP: NOUN, PV: NOUN},
    "панели": {LP: NOUN, PV: NOUN},
    "светильник": {sku: GENERIC for sku in LIGHTING},
    "светильники": {sku: GENERIC for sku in LIGHTING},
    "luminaria": {sku: GENERIC for sku in LIGHTING},
    "luminarias": {sku: GENERIC for sku in LIGHTING},
}


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    weights: dict[str, float]


@dataclass(frozen=True)
class Mention:
    sku: str
    start: int
    end: int
    score: float


def _catalog_cues() -> list[tuple[str, dict[str, float]]]:
    cues: list[tuple[str, dict[str, float]]] = []
    for product in catalog_products():
        sku = re.escape(product.sku.lower()).replace(r"\-", r"[\s-]?")
        cues.append((B + sku + E, {product.sku: 5.0}))
        for name in product.names.values():
            folded = re.escape(fold_pattern(name)).replace(r"\ ", r"\s+")
            cues.append((folded, {product.sku: 5.0}))
    return cues


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], dict[str, float]]]:
    out = []
    for pattern, weights in _catalog_cues() + _CUES:
        out.append((re.compile(fold_pattern(pattern)), weights))
    return out


@lru_cache(maxsize=1)
def _gate() -> PatternGate:
    return PatternGate([pattern for pattern, _weights in _compiled()])


@lru_cache(maxsize=1)
def _fuzzy_vocabulary() -> tuple[str, ...]:
    return tuple(fold_pattern(word) for word in _FUZZY_WORDS)


@lru_cache(maxsize=1)
def _fuzzy_weights() -> dict[str, dict[str, float]]:
    return {fold_pattern(word): weights for word, weights in _FUZZY_WORDS.items()}


# Ordinary words one or two letters away from a product word.
_NOT_MISSPELLINGS = {
    "charges",
    "charged",
    "changes",
    "chances",
    "invertir",
    "inverted",
    "inversion",
    "inverse",
    "invierte",
    "invertido",
    "paneled",
    "planets",
    "batters",
    "battered",
    "chargement",
    "reflects",
    "reflected",
}


@lru_cache(maxsize=20000)
def _fuzzy_lookup(token: str) -> str | None:
    if token in _NOT_MISSPELLINGS:
        return None
    match = process.extractOne(
        token, _fuzzy_vocabulary(), scorer=fuzz.ratio, score_cutoff=86, processor=None
    )
    if match is None:
        return None
    word = match[0]
    if word[0] != token[0] or abs(len(word) - len(token)) > 2:
        return None
    return word


_TOKEN = re.compile(r"[a-z\u0400-\u04ff]{7,}")


def find_cues(text: str) -> list[Cue]:
    """All product cues in folded text, longest first where they overlap."""
    found: list[Cue] = []
    for (pattern, weights), may_match in zip(_compiled(), _gate().open(text), strict=True):
        if not may_match:
            continue
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found.append(Cue(match.start(), match.end(), weights))
    watts = sku_by_watts()
    for match in _WATTS.finditer(text):
        try:
            value = Decimal(match.group(1).replace(",", "."))
        except ArithmeticError:
            continue
        unit = match.group(2)
        if unit in ("kw", "квт", "千瓦") or "كيلو" in unit:
            value *= 1000
        sku = watts.get(value)
        found.append(Cue(match.start(), match.end(), {sku: SPEC} if sku else {}))
    found.sort(key=lambda cue: (-(cue.end - cue.start), cue.start))
    taken: list[Cue] = []
    covered = bytearray(len(text) + 1)
    for cue in found:
        if any(covered[cue.start : cue.end]):
            continue
        taken.append(cue)
        for i in range(cue.start, cue.end):
            covered[i] = 1
    fuzzy = _fuzzy_weights()
    for match in _TOKEN.finditer(text):
        if any(covered[match.start() : match.end()]):
            continue
        word = _fuzzy_lookup(match.group(0))
        if word is not None:
            taken.append(Cue(match.start(), match.end(), fuzzy[word]))
    taken.sort(key=lambda cue: cue.start)
    return taken


_GAP_OK = re.compile(r"[\s\-/'\"a-z\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]*")
_GAP_WORDS = re.compile(r"[a-z\u0400-\u04ff\u0600-\u06ff]+")


def _joinable(gap: str) -> bool:
    if len(gap) > 22 or not _GAP_OK.fullmatch(gap):
        return False
    if len(_GAP_WORDS.findall(gap)) > 3:
        return False
    han = sum(1 for c in gap if "\u4e00" <= c <= "\u9fff")
    return han <= 3


def _best(weights: dict[str, float]) -> tuple[str | None, float]:
    if not weights:
        return None, 0.0
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and abs(ranked[0][1] - ranked[1][1]) < 0.05:
        return None, ranked[0][1]
    return ranked[0]


def find_mentions(text: str, cues: list[Cue] | None = None) -> list[Mention]:
    """Product mentions in folded text, in order; a cue group that stays ambiguous is dropped."""
    cues = find_cues(text) if cues is None else cues
    groups: list[list[Cue]] = []
    for cue in cues:
        if groups and _joinable(text[groups[-1][-1].end : cue.start]):
            leader = _leading(groups[-1])
            weights = cue.weights or {"": 0.0}
            # A cue that disagrees with an established product starts a new mention,
            # unless it is only a modifier or a generic word.
            if leader is None or cue.weights.get(leader, 0) > 0 or max(weights.values()) < SPEC:
                groups[-1].append(cue)
                continue
        groups.append([cue])
    mentions = []
    for group in groups:
        total: dict[str, float] = {}
        for cue in group:
            for sku, weight in cue.weights.items():
                total[sku] = total.get(sku, 0.0) + weight
        sku, score = _best(total)
        if sku is None or score < NOUN:
            continue
        mentions.append(Mention(sku, group[0].start, group[-1].end, score))
    return mentions


def _leading(group: list[Cue]) -> str | None:
    total: dict[str, float] = {}
    for cue in group:
        for sku, weight in cue.weights.items():
            total[sku] = total.get(sku, 0.0) + weight
    sku, score = _best(total)
    return sku if score >= NOUN else None
