"""The search form of a text: the tokens BM25 indexes and matches, the same for the
documents and the buyer's question.

BM25 needs words, and Chinese has no spaces, Arabic attaches articles and endings to
its words, and European languages inflect. So: lower case without accents, Arabic
without tashkeel, with one alef, ta marbuta as ha and light prefix/suffix stripping;
Chinese runs as single characters plus overlapping bigrams; Latin and Cyrillic words of
six letters or more also give their first five letters ("garantía", "garantías" and
"Garantiebedingungen" meet at "garan~"); "LP-6060-40" also gives "lp606040", "L/C"
"lc". Greetings and function words in the eight languages are dropped: with a few dozen
documents per language, BM25 alone would take "how", "you" or "يمكن" for rare words.

This is deliberately not the understanding layer's `fold` (which keeps a map back to
the original characters, and whose package loads the intent models on import).
"""

import re
import unicodedata

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?P<han>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+(?:[-/][^\W_{_CJK}]+)*)")
_JOINERS = re.compile(r"[-/]")
_ARABIC_LETTERS = re.compile(r"^[\u0621-\u064a]+$")
_ALPHABETIC = re.compile(r"^[a-z\u0430-\u044f]+$")

_CHARACTERS = str.maketrans(
    {
        "ß": "ss",
        "×": "x",
        "ـ": "",  # tatweel
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Persian digits
    }
)
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
PREFIX_LENGTH = 5

_GREETINGS = (
    "good morning|good afternoon|good evening|buenos dias|buenas tardes|buenas noches|"
    "bom dia|boa tarde|boa noite|guten tag|guten morgen|guten abend|bonne journee|"
    "добрый день|доброе утро|добрый вечер|صباح الخير|مساء الخير|السلام عليكم"
)
_STOP_WORDS_WRITTEN = """
a about all also am an and any are as at be been but by can could dear do does for from
get give had has have he hello hey hi how i if in is it its just kindly let lot me my need
no not of ok okay on or our please pls regards she so some tell thank thanks that the their
them there these they this those thx to too us very want was we were what when where which
who why will with would yes you your

al como con cual cuales cuando cuanto cuantos cuantas del el en es esta estan este ese eso
gracias hay hola la las le les lo los me mi mis muy nos nuestro nuestros o para pero por
puede pueden puedo que quiero quisiera saludos se si sin son su sus te tengo tiene tienen
tu una unas uno unos usted ustedes y yo

ao aos da das do dos e em essa esse esta estao eu isso isto mais mas meu minha na nas no
nao nosso nossa nossos obrigada obrigado oi ola os ou pode podem posso quais qual quanto
quero seu seus sua suas tem temos tenho tudo um uma voce voces gostaria

а в вам вас ваш ваша ваше ваши вашей вашего вашем вы да для до если есть же за здравствуйте
и из или им их к как какая какие какой какое когда кто ли мне можно мы на нам нас не нет
ну о об от по пожалуйста подскажите привет при про расскажите с скажите со спасибо так то
у уже хочу что чтобы это этот эта эти я

ai au aux avec avez avons bonjour bonsoir c ces cet cette combien comment cordialement d dans
des du elle est et etre il j je l le les leur leurs m ma merci mes moi mon n ne nos notre nous
ou par pas plait pour pourquoi pouvez quand quel quelle quelles quels qu qui quoi s sa salut
ses sil son sont sur svp t ta tes toi ton tu un une vos votre vous y

am auf aus bei bin bitte danke das dem den der des die du ein eine einem einen einer eines er
es euch euer fur gibt gruss grusse habe haben habt hallo hast ich ihnen ihr ihre im ist ja
kann konnen konnt mfg mich mir mit nach nein nicht noch oder sie sind uber uns unser unsere
vom von war was welche welchen welcher welches wer wie wir wo zu zum zur

ا او اذا الي ان انا انت انتم اهلا ايضا بعض تحيه ثم شكرا عليكم علي عن عند عندكم في فضلك
فضلكم قد كان كل كم كيف لا لدي لديك لديكم لم لن لو ما ماذا متي مرحبا مع ممكن من نحن نعم نود
هذا هذه هل هو هي يمكن يمكنكم يمكنني اريد نريد الرجاء رجاء السلام

的 了 吗 呢 吧 啊 呀 是 我 你 您 他 她 它 们 这 那 和 与 也 都 就 还 很 请 问 么 什 怎 哪 好 谢 个 些
有 在 对 给 能 要 想 可 以 吗 你们 我们 什么 怎么 哪些 请问 谢谢 你好 您好 可以 是否 一下 这个 那个
如何 有没 没有 多少
"""


def _plain(text: str) -> str:
    """Lower case, NFKC, accents and Arabic tashkeel removed, Arabic letter forms unified."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_CHARACTERS)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


STOP_WORDS = frozenset(_plain(_STOP_WORDS_WRITTEN).split())
_GREETING = re.compile(rf"\b(?:{_plain(_GREETINGS)})\b")


def _arabic_stem(word: str) -> str:
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _word_terms(word: str) -> list[str]:
    if word in STOP_WORDS:
        return []
    if _ARABIC_LETTERS.match(word):
        return [_arabic_stem(word)]
    if len(word) > PREFIX_LENGTH and _ALPHABETIC.match(word):
        return [word, word[:PREFIX_LENGTH] + "~"]
    return [word]


def search_terms(text: str) -> list[str]:
    """The tokens of `text`, in order, with repeats (term frequency counts)."""
    terms: list[str] = []
    for match in _RUN.finditer(_GREETING.sub(" ", _plain(text or ""))):
        run = match.group()
        if match.lastgroup == "han":
            pieces = [*run, *(run[index : index + 2] for index in range(len(run) - 1))]
            terms.extend(piece for piece in pieces if piece not in STOP_WORDS)
            continue
        parts = _JOINERS.split(run)
        for part in parts:
            terms.extend(_word_terms(part))
        if len(parts) > 1:
            terms.append("".join(parts))
    return terms


def search_form(text: str) -> str:
    """`search_terms` joined by spaces: what the document store tokenizes on whitespace."""
    return " ".join(search_terms(text))
