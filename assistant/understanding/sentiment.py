"""Sentiment from our own lexicons in eight languages plus emojis, with simple negation
("not happy", "no funciona", "kein Problem", "没问题"), nudged by the intent: a complaint
is rarely neutral, a thank-you rarely negative."""

import math
import re
from functools import lru_cache

from .text import fold_pattern

_POSITIVE = """
thanks thank appreciate great good excellent perfect happy glad pleased satisfied awesome amazing wonderful nice
love fantastic helpful quick fast reliable recommend best fine brilliant superb
gracias excelente perfecto perfecta genial buen buena bueno contento contenta satisfecho satisfecha feliz
encantado encantada maravilloso rapido agradecido agradecida amable contentos contentas satisfechos satisfechas
obrigado obrigada otimo otima excelente perfeito perfeita feliz satisfeito satisfeita maravilhoso rapido
legal gentil agradeco show top
merci excellent parfait parfaite content contente satisfait satisfaite ravi ravie super genial formidable
rapide top bravo
danke super perfekt ausgezeichnet zufrieden toll prima klasse hervorragend freue schnell gut bestens
спасибо отлично отличн хорошо хорош прекрасн доволен довольны рад рады благодар супер замечательн быстро
شكرا ممتاز ممتازة رائع رائعة جميل سعيد سعداء مبسوط تمام مشكور الله يعطيك ممنون
谢谢 感谢 很好 不错 满意 完美 太好了 好的 棒 辛苦 赞 开心 高兴
"""

_NEGATIVE = """
bad terrible awful horrible poor worst broken defective damaged faulty dead angry upset frustrated frustrating
disappointed disappointing unacceptable useless problem problems issue complaint delay delayed late wrong
missing failed failure never nobody waste scam cheated annoyed ridiculous unhappy dissatisfied flicker
flickering burnt burned cracked leaking expensive
malo mala pesimo pesima horrible terrible roto rota rotos danado danados defectuoso defectuosos molesto
molesta enojado enojada decepcionado decepcionada inaceptable problema problemas queja reclamo retraso demora
tarde falla fallas nadie nunca quemado quemados caro caros cara caras
ruim pessimo pessima horrivel terrivel quebrado quebrados danificado danificados defeituoso chateado chateada
decepcionado decepcionada inaceitavel problema problemas reclamacao atraso falha piscando queimado caro absurdo
mauvais mauvaise horrible terrible casse endommage defectueux fache decu decue inadmissible inacceptable
probleme retard panne erreur jamais personne mecontent mecontente cher chers
schlecht schlechte furchtbar schrecklich kaputt defekt beschadigt verargert enttauscht inakzeptabel problem
verzogerung verspatet falsch nie niemand mies miese unzufrieden flackern teuer argerlich schwierigkeiten
плохо плохой плохое ужасн отвратительн сломан брак бракован поврежден недоволен недовольны разочарован
недопустим проблем задержк опозда никто никогда сгорел мерца дорого претензи
سيء سيئ سيئة سيئه رديء رديئة تالف تالفة مكسور معيب غاضب زعلان مستاء مشكلة مشاكل تاخير متاخر خطا غلط
غير مقبول احترق غالي
差 太差 坏 坏了 损坏 破损 不亮 问题 投诉 不满意 失望 生气 延迟 发错 错了 太贵 烂 垃圾 怎么搞的
"""

_NEGATIONS = {
    fold_pattern(w)
    for w in "not no never don't doesn't didn't isn't aren't wasn't won't can't cannot nor without "
    "no nunca sin ni nao nem sem ne pas jamais sans nicht kein keine keinen nie ohne не нет без ни "
    "لا لم لن ليس ما غير".split()
}
_NEGATED_PHRASES = re.compile(
    fold_pattern(
        r"no\s+problem|not\s+a\s+problem|no\s+issue|no\s+worries|sin\s+problema|ningun\s+problema|"
        r"sem\s+problema|nenhum\s+problema|pas\s+de\s+probleme|aucun\s+probleme|kein\s+problem|"
        r"без\s+проблем|нет\s+проблем|لا\s+مشكلة|ما\s+في\s+مشكلة|没问题|没关系|不错"
    )
)

_EMOJI_POSITIVE = set("😀😃😄😁😊🙂😍🥰😘👍👌🙏💪🎉✅❤💯🤝😉☺🤗👏🌟⭐")
_EMOJI_NEGATIVE = set("😡😠🤬😤😩😫😞😟😢😭😔👎💔🙄😒😕☹😣😖😑😐⚠❌")

_TOKEN = re.compile(r"[a-z\u0400-\u04ff\u0600-\u06ff']+")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, float], list[str], list[str]]:
    table: dict[str, float] = {}
    han_pos: list[str] = []
    han_neg: list[str] = []
    for word in _POSITIVE.split():
        word = fold_pattern(word)
        if re.match(r"[\u4e00-\u9fff]", word):
            han_pos.append(word)
        else:
            table[word] = 1.0
    for word in _NEGATIVE.split():
        word = fold_pattern(word)
        if re.match(r"[\u4e00-\u9fff]", word):
            han_neg.append(word)
        else:
            table[word] = -1.0
    return table, sorted(han_pos, key=len, reverse=True), sorted(han_neg, key=len, reverse=True)


def _stem_lookup(table: dict[str, float], token: str) -> float:
    if token in table:
        return table[token]
    # Russian and Arabic inflect: try the token's first five letters as a stem
    if len(token) > 5 and ("\u0400" <= token[0] <= "\u04ff"):
        for cut in (len(token) - 1, len(token) - 2, 5):
            if token[:cut] in table:
                return table[token[:cut]]
    if token.startswith(("ال", "و")) and token[2:] in table:
        return table[token[2:]]
    return 0.0


def sentiment_of(original: str, folded_text: str, *, intent: str) -> tuple[str, float]:
    """("negative" | "neutral" | "positive", score in [-1, 1])."""
    table, han_pos, han_neg = _lexicon()
    text = _NEGATED_PHRASES.sub(" ", folded_text)
    total = 0.0
    tokens = _TOKEN.findall(text)
    for index, token in enumerate(tokens):
        value = _stem_lookup(table, token)
        if not value:
            continue
        window = tokens[max(0, index - 3) : index]
        if any(w in _NEGATIONS for w in window):
            value = -value * (0.5 if value < 0 else 1.0)
        total += value
    for word in han_neg:
        count = text.count(word)
        if count:
            total -= count
            text = text.replace(word, " ")
    for word in han_pos:
        count = text.count(word)
        if count and not re.search(r"[不没]" + re.escape(word), text):
            total += count
    total += 1.0 * sum(1 for c in original if c in _EMOJI_POSITIVE)
    total -= 1.5 * sum(1 for c in original if c in _EMOJI_NEGATIVE)
    exclamations = original.count("!!")
    if total < 0 and exclamations:
        total -= 0.5
    prior = {
        "complaint": -1.2,
        "return_refund": -1.2,
        "thanks_goodbye": 1.0,
        "negotiation": -0.3,
    }.get(intent, 0.0)
    total += prior
    length = max(1.0, math.log2(2 + len(tokens) / 12))
    score = math.tanh(total / (1.5 * length))
    score = round(max(-1.0, min(1.0, score)), 2)
    if intent in ("complaint", "return_refund") and score > -0.3:
        score = -0.3
    if score <= -0.25:
        return "negative", score
    if score >= 0.25:
        return "positive", score
    return "neutral", score
