"""The language a buyer writes in: ISO 639-1, one of the seller's eight languages or
another one recognised by its script.

Non-Latin scripts decide on their own (Han -> zh, Arabic -> ar, Cyrillic -> ru, kana ->
ja…). Latin text is scored by lingua, restricted to en/es/pt/fr/de, together with a
vote of function words and trade words, which is what carries short WhatsApp-style
messages ("hi pls quote 5k pcs T8"). Very short, emoji-only or numbers-only messages
fall back on channel hints: the conversation so far, Telegram's language_code, the
browser language, the contact's known language, the phone's country.

lingua only ever sees Latin-script text, so it loads the five Latin languages in
high-accuracy mode (~160 MB); all eight would take ~250 MB and with the rest of a
worker pass the 350 MB budget, and low-accuracy mode confuses es/pt/fr on short
messages (measured; see docs/assistant.md).
"""

import re
import threading
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import phonenumbers

from .text import ARABIC, CYRILLIC, HAN, HANGUL, KANA, LATIN, fold

SUPPORTED = ("en", "zh", "es", "pt", "ru", "ar", "fr", "de")
LATIN_SUPPORTED = ("en", "es", "pt", "fr", "de")

_detector = None
_detector_lock = threading.Lock()


def _lingua():
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                _detector = LanguageDetectorBuilder.from_languages(
                    Language.ENGLISH,
                    Language.SPANISH,
                    Language.PORTUGUESE,
                    Language.FRENCH,
                    Language.GERMAN,
                ).build()
    return _detector


def warm_up() -> None:
    """Load lingua's models now (in this thread: preloading them in parallel costs ~30 MB
    more resident memory for the same models)."""
    _lingua().compute_language_confidence_values("warming up the language models")


_ISO = {"ENGLISH": "en", "SPANISH": "es", "PORTUGUESE": "pt", "FRENCH": "fr", "GERMAN": "de"}

# Words that point to a language; a word shared by several counts for each a share.
_WORDS = {
    "en": """panels bulbs floodlights lights lamps tubes strips batteries chargers inverters quote shipping sample order orders delivery freight invoice warranty price please kindly asap urgent shipment goods
        the and is are you your we our us please pls plz thanks thank thx hi hello hey price prices quote
        quotation need needs for with how what when where which can could would should do does did shipping order
        ur u pcs i my me it this that these have has any send sample samples much many bro sir dear regards best
        kind looking offer will just get got about from there their they them be been not no yes sure want
        lead time cost costs each per also only still yet already update status ship shipped delivery deliver
        warranty stock available hello morning good great nice day bye see soon asap wanna gonna kindly pls
        interested inquiry enquiry purchase purchasing buy buying via by than then too our ours whats what's im i'm
        we're we'd don't doesn't can't isn't documents certificate catalog""",
    "es": """paneles bombillas focos reflectores campanas farolas tubos tiras baterias cargadores inversores cotizacion coticen coticenme cotizame cotice precio envio muestra pedido entrega flete contenedor garantia factura unidades piezas pzas mil favor
        el la los las de del a que y en por para con una uno es hola gracias buenas buenos buen necesito necesitamos
        precio precios cotizacion cotizar cuanto cuanta cuantos cuantas pedido muestra muestras usted ustedes nos
        me le les esta estan tienen pueden puede saludos estimado estimada estimados senor senores favor envio tambien
        pero muy mas cual cuales quiero queremos podrian seria hacer hacen tiene hay somos estamos llevo mandar
        envian enviar despacharon ya sale cuesta vale proveedor garantia entrega dias semana mes ano embarque
        contenedor factura ficha tecnica catalogo descuento caro caros cara caras amigo atentamente cordiales
        su sus al lo mi mis este esta estos nuestro nuestra nuestros ni sino desde hasta porque como donde cuando""",
    "pt": """paineis lampadas refletores luminarias fitas carregadores cotacao orcamento frete conteiner amostra fatura pecas pecas unidades mil
        o os a as de do da dos das que e em no na nos nas por para com um uma ola oi obrigado obrigada bom boa dia tarde
        noite preciso precisamos preco precos cotacao orcamento quanto quanta quantos quantas pedido amostra amostras
        voces vcs voce nao sim tambem mais muito muita qual quais gostaria estao esta pra tudo bem ate entrega
        envio frete prazo garantia estoque pagamento vem chegou chegada embarcou fechar fechado pode podem manda
        mandam queria quero nosso nossa nossos atenciosamente abracos grato grata segue seguem fatura desconto caro
        me favor envia envie manda mande catalogo obrigadao gente voces
        cara lampada lampadas luminaria painel paineis refletor refletores sao sera ja tem temos sou somos isso
        essa esse aquele mesmo ainda depois antes onde quando como porque pelo pela""",
    "fr": """panneaux ampoules projecteurs cloches lampadaires rubans batteries bornes onduleurs devis livraison echantillon conteneur facture garantie pieces unites
        le la les de des du un une et est en pour avec vous nous votre vos bonjour merci prix devis combien commande
        echantillon echantillons je j'ai c'est pouvez pourriez svp bjr cordialement pas sur au aux quel quelle
        quels quelles sont etes avons avez faire ce cette ces mon ma mes notre nos leur leurs qui dans par plus
        tres bien bonne journee madame monsieur livraison delai paiement facture fiche technique catalogue remise
        cher chers chere trop envoyer besoin voudrions souhaitons aimerions possible merci salut bonsoir il elle
        ils elles on y a ne ni mais ou donc car depuis chez toujours rien aucune aucun deja encore""",
    "de": """lampen fluter strahler leuchten rohren streifen akkus ladestation wechselrichter angebot lieferung muster rechnung stuck
        der die das und ist ein eine einen einem einer fur mit von zu wir sie ihr ihre ihnen bitte danke hallo
        guten tag preis preise angebot wie was kostet kosten bestellung muster ich nicht auch noch bei uns konnen
        konnten gruß grusse gruss freundlichen sehr geehrte geehrter stuck stk moin lieferung lieferzeit liefern
        zahlung rechnung datenblatt katalog rabatt teuer zu hoch schon wann wo wer welche welcher haben hat sind
        wird werden mochten wurden gerne leider aber oder dass den dem des im am vom zum zur uber nach fur auf aus
        herr frau damen herren vielen dank schones wochenende tschuss viele""",
}


@lru_cache(maxsize=1)
def _word_weights() -> dict[str, dict[str, float]]:
    owners: dict[str, set[str]] = {}
    for language, words in _WORDS.items():
        for word in words.split():
            owners.setdefault(fold(word).text, set()).add(language)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
# English trade words every language borrows: they say nothing about the writer's language.
_LOANWORDS = re.compile(
    r"(?i)\b(?:led|leds|downlights?|wallbox(?:es|en)?|datasheets?|data\s+sheet|ies|pdf|rgb|ufo|high\s?bays?|"
    r"spots?|smd|cob|driver|drivers|packing\s+list|commercial\s+invoice|tracking|container|containers|email|"
    r"e-mail|whatsapp|wechat|telegram|ok|okay|pi|moq|oem|odm|ip\d\d|lifepo4|mono|kit|strip|pcs|dhl|ups|fedex|"
    r"lcl|fcl|etd|eta|b/l|l/c|t/t|ce|ul|rohs|tuv|cb|type|rfq|hq|gp|ft|kw|kwh|ah|lm|cri|cct|dali|usd|eur)\b"
)
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[A-Z]{2,4}-\d{2,5}(?:-[A-Z0-9]{1,6})*\b|\d+"
)


# Letters folding removes but that tell languages apart ("¿", "ñ", "ã", "ß"…).
_ORTHOGRAPHY = {
    "es": re.compile(r"[ñ¿¡]|ción\b|ciones\b"),
    "pt": re.compile(r"[ãõ]|ção\b|ções\b|\bvocê|lh[ao]\b|nh[ao]\b"),
    "fr": re.compile(r"[èùâîœ]|\b(?:qu|[cdjlmnst])'"),
    "de": re.compile(r"[ßäöü]|sch\b|\b\w+ung\b"),
}


def _lexicon_scores(folded_text: str, original: str = "") -> tuple[dict[str, float], int]:
    weights = _word_weights()
    scores: Counter[str] = Counter()
    tokens = _TOKEN.findall(folded_text)
    for token in tokens:
        for lang, weight in weights.get(token, {}).items():
            scores[lang] += weight
    lowered = original.lower()
    for lang, pattern in _ORTHOGRAPHY.items():
        hits = len(pattern.findall(lowered))
        if hits:
            scores[lang] += min(3.0, float(hits))
    return dict(scores), len(tokens)


_COUNTRY_LANGUAGE = {
    **dict.fromkeys("MX PE CL CO AR EC VE ES UY PY BO CR PA DO GT HN SV NI CU PR GQ".split(), "es"),
    **dict.fromkeys("BR PT AO MZ CV GW ST TL".split(), "pt"),
    **dict.fromkeys("FR CI SN ML BF NE TG BJ GA CG CD MG HT MC GN CM".split(), "fr"),
    **dict.fromkeys("DE AT LI".split(), "de"),
    **dict.fromkeys("RU BY KZ KG TJ".split(), "ru"),
    **dict.fromkeys("SA AE EG QA KW OM BH JO LB SY IQ YE LY SD MR PS".split(), "ar"),
    **dict.fromkeys("CN TW HK MO".split(), "zh"),
    **dict.fromkeys("US GB AU NZ IE NG KE GH ZA IN PK PH UG TZ ZM ZW BD LK JM".split(), "en"),
}


def language_for_phone(address: str) -> str:
    """The main language of the country a phone number belongs to, or ""."""
    digits = address.strip()
    if not digits:
        return ""
    if not digits.startswith("+"):
        digits = "+" + digits
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(digits, None))
    except phonenumbers.NumberParseException:
        return ""
    return _COUNTRY_LANGUAGE.get(region or "", "")


def normalise_code(code: str) -> str:
    code = (code or "").strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh"
    return code[:2] if len(code) >= 2 and code[:2].isalpha() else ""


def _script_language(text: str) -> tuple[str | None, int]:
    han = len(HAN.findall(text))
    kana = len(KANA.findall(text))
    hangul = len(HANGUL.findall(text))
    arabic = len(ARABIC.findall(text))
    cyrillic = len(CYRILLIC.findall(text))
    latin = len(LATIN.findall(text))
    greek = len(re.findall(r"[\u0370-\u03ff]", text))
    hebrew = len(re.findall(r"[\u0590-\u05ff]", text))
    thai = len(re.findall(r"[\u0e00-\u0e7f]", text))
    devanagari = len(re.findall(r"[\u0900-\u097f]", text))
    # a Han character carries about as much as a short Latin word
    weighted = {
        "cjk": (han + kana + hangul) * 3,
        "ar": arabic,
        "cyr": cyrillic,
        "latin": latin,
        "el": greek,
        "he": hebrew,
        "th": thai,
        "hi": devanagari,
    }
    total = sum(weighted.values())
    if total == 0:
        return None, 0
    script, count = max(weighted.items(), key=lambda kv: kv[1])
    if script == "latin" and weighted["cjk"] >= 0.25 * total:
        script = "cjk"
    if script == "latin" and (weighted["ar"] >= 0.25 * total or weighted["cyr"] >= 0.25 * total):
        script = "ar" if weighted["ar"] >= weighted["cyr"] else "cyr"
    if script == "cjk":
        if kana >= 2:
            return "ja", total
        if hangul > han:
            return "ko", total
        return "zh", total
    if script == "ar":
        persian = len(re.findall(r"[پچژگکی]", text))
        if persian >= 3 and persian >= 0.05 * arabic:
            return "fa", total
        return "ar", total
    if script == "cyr":
        ukrainian = len(re.findall(r"[іїєґІЇЄҐ]", text))
        if ukrainian >= 2:
            return "uk", total
        return "ru", total
    if script != "latin":
        return script, total
    return "latin", latin


def detect_language(
    text: str, *, hints: Sequence[str] = (), history: Sequence[str] = ()
) -> tuple[str, float]:
    """(ISO 639-1 code, confidence in 0..1) of a buyer message."""
    hint_codes = [normalise_code(h) for h in hints if normalise_code(h)]
    history_language = ""
    joined_history = " ".join(h for h in history if h)[-1500:]
    if joined_history.strip():
        history_language, history_confidence, _ = _detect(joined_history)
        if history_confidence < 0.5:
            history_language = ""
    fallback = [code for code in [history_language, *hint_codes] if code]
    language, confidence, support = _detect(text)
    if language == "" or confidence < 0.5:
        # A hint wins when the text does not contradict it: "ok" or "👍" take the
        # conversation's language, "Hola" stays Spanish whatever the phone says.
        if fallback and (language in ("", fallback[0]) or support < 1.0):
            return fallback[0], 0.5
        return language or "en", confidence
    return language, confidence


def _detect(text: str) -> tuple[str, float, float]:
    """(language, confidence, exclusive word support) for one text; ("", 0, 0) if no letters."""
    sample = _LOANWORDS.sub(" ", _NOISE.sub(" ", text[:2000]))
    script, letters = _script_language(sample)
    if script is None:
        return "", 0.0, 0.0
    if script != "latin":
        return script, 0.95 if letters >= 2 else 0.6, 1.0
    cleaned = _NOISE.sub(" ", sample)
    folded = fold(cleaned).text
    lexicon, tokens = _lexicon_scores(folded, cleaned)
    words = len(re.findall(r"[^\W\d_]{2,}", cleaned))
    lingua_scores: dict[str, float] = {}
    if words:
        for value in _lingua().compute_language_confidence_values(cleaned):
            lingua_scores[_ISO[value.language.name]] = value.value
    total_lexicon = sum(lexicon.values())
    combined: dict[str, float] = {}
    # lingua knows more words; the lexicon carries the very short and the slangy
    lexicon_weight = 0.55 if words <= 4 else 0.4
    for lang in LATIN_SUPPORTED:
        lex = lexicon.get(lang, 0.0) / total_lexicon if total_lexicon else 0.0
        ling = lingua_scores.get(lang, 0.0)
        if total_lexicon >= 1:
            combined[lang] = lexicon_weight * lex + (1 - lexicon_weight) * ling
        else:
            combined[lang] = ling
    best = max(combined, key=combined.get)
    ranked = sorted(combined.values(), reverse=True)
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    confidence = min(1.0, 0.4 + margin)
    if words <= 2 and total_lexicon < 1.5:
        confidence = min(confidence, 0.45)  # "ok", "Guten Tag!" without support: let hints speak
    if words == 0:
        return "", 0.0, 0.0
    return best, confidence, lexicon.get(best, 0.0)
