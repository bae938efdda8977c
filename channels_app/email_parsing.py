"""What a buyer wrote in an email, without what they quoted: reply headers in the
languages we serve ("On … wrote:", "Le … a écrit :", "在 … 写道："…), ">" quotes,
Outlook's original-message blocks, the "-- " signature, sign-offs and "sent from my
phone" footers. And a plain-text reading of HTML bodies: parsed, never rendered."""

import re
from html.parser import HTMLParser

# Direction marks that mail clients put around names and dates in right-to-left text.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# The line that introduces a quoted message. Each carries a date or an address, which
# keeps ordinary sentences ending in "wrote:" from matching.
_ATTRIBUTIONS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^on\s.+\swrote\s*:$",
        r"^le\s.+\sa\s+écrit\s*:$",
        r"^am\s.+\sschrieb\s.*:$",
        r"^.+\sschrieb\s*:$",
        r"^el\s.+\sescribió\s*:$",
        r"^em\s.+\sescreveu\s*:$",
        r"^.+\sнаписал(?:а|\(а\))?\s*:$",
        r"^.+\sпишет\s*:$",
        r"^(?:在|于).+写道\s*[:：]$",
        # Arabic "… كتب:" ("… wrote:"); the colon matters, "كتب" also means "books".
        r"^.+\sكتب\s*[:：]$",
        # Yandex and others: '05.03.2025, 10:02, "Name" <address>:'
        r"^\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s.*<[^<>\s]+@[^<>\s]+>\s*:$",
    )
]
_HAS_DATE_OR_ADDRESS = re.compile(r"\d|@")

_ORIGINAL_MESSAGE = re.compile(
    r"^-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|"
    r"mensaje original|mensagem original|исходное сообщение|原始邮件|الرسالة الأصلية)\s*-{2,}$",
    re.IGNORECASE,
)
# Outlook's header block: "From: …" followed within a few lines by "Sent: …" / "Date: …".
_HEADER_FROM = re.compile(
    r"^\**\s*(?:from|de|von|от|发件人|寄件者|من)\s*\**\s*[:：]", re.IGNORECASE
)
_HEADER_SENT = re.compile(
    r"^\**\s*(?:sent|date|envoyé|gesendet|datum|enviado|enviada em|fecha|data|"
    r"отправлено|дата|发送时间|日期|تاريخ الإرسال|التاريخ|أرسل|تم الإرسال)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[_\-=]{10,}$")

_FOOTERS = re.compile(
    r"^(?:sent from my .+|sent from (?:mail|outlook|yahoo mail|gmail|samsung).*"
    r"|get outlook for .+|envoyé de mon .+|envoyé depuis .+|von meinem .+ gesendet"
    r"|gesendet von .+|enviado desde mi .+|enviado do meu .+|enviado de meu .+"
    r"|отправлено с .+|отправлено из .+|发自我的.+|从我的.+发送|"
    r"(?:أُ|أ)رسلت من .+|مرسل من .+|تم الإرسال من .+)$",
    re.IGNORECASE,
)
_SIGN_OFFS = {
    "best regards", "kind regards", "regards", "best", "best wishes", "many thanks",
    "thanks", "thank you", "cheers", "sincerely", "yours sincerely", "yours faithfully",
    "cordialement", "bien cordialement", "bien à vous", "salutations", "merci",
    "mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße",
    "viele grüße", "beste grüße", "gruß", "grüße", "danke",
    "saludos", "saludos cordiales", "un saludo", "atentamente", "gracias",
    "atenciosamente", "cumprimentos", "abraços", "obrigado", "obrigada",
    "с уважением", "спасибо", "всего доброго", "此致", "此致敬礼", "谢谢", "祝好",
    "顺祝商祺", "مع تحياتي", "مع خالص التحية", "تحياتي", "شكرا", "وشكرا",
}  # fmt: skip
_SIGN_OFF_TAIL_LINES = 10


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_length(lines: list[str], index: int) -> int:
    """How many lines (1 or 2, clients wrap long ones) the reply header at `index` spans."""
    candidates = [lines[index].strip()]
    if index + 1 < len(lines) and lines[index + 1].strip():
        candidates.append(f"{candidates[0]} {lines[index + 1].strip()}")
    for length, candidate in enumerate(candidates, start=1):
        if len(candidate) > 300 or not _HAS_DATE_OR_ADDRESS.search(candidate):
            continue
        if any(pattern.match(candidate) for pattern in _ATTRIBUTIONS):
            return length
    return 0


def _starts_header_block(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index].strip()):
        return False
    following = [line.strip() for line in lines[index + 1 : index + 5]]
    return any(_HEADER_SENT.match(line) for line in following)


def _next_text_line(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _without_sign_off(lines: list[str]) -> list[str]:
    """Cut from the last sign-off ("Best regards,", "С уважением,") near the end: the
    name, title and phone numbers under it are not part of the question."""
    text_lines = [i for i, line in enumerate(lines) if line.strip()]
    for index in reversed(text_lines[-_SIGN_OFF_TAIL_LINES:]):
        words = lines[index].strip().rstrip(",.!:;，。！、").strip().lower()
        if words in _SIGN_OFFS and any(lines[i].strip() for i in range(index)):
            return lines[:index]
    return lines


def reply_text(body: str) -> str:
    """The part of a plain-text email body the buyer wrote for this message."""
    lines = _BIDI_MARKS.sub("", body.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if _is_quote(line):
            index += 1
            continue
        span = _attribution_length(lines, index)
        if span:
            after = _next_text_line(lines, index + span)
            if after < len(lines) and _is_quote(lines[after]):
                index += span  # quoted inline: answers may follow between the quotes
                continue
            break  # the quoted message follows unmarked (Apple Mail, Outlook)
        if _ORIGINAL_MESSAGE.match(stripped) or _starts_header_block(lines, index):
            break
        if _RULE.match(stripped):
            after = _next_text_line(lines, index + 1)
            if after < len(lines) and _starts_header_block(lines, after):
                break
        if line.rstrip() == "--" and line.startswith("--"):
            break  # "-- " (RFC 3676), or "--" once trailing spaces were trimmed
        if _FOOTERS.match(stripped):
            index += 1
            continue
        kept.append(line.rstrip())
        index += 1
    text = "\n".join(_without_sign_off(kept))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text or body.strip()


# Blocks that start a new line, and those that also stand apart by a blank line.
_LINES = {
    "address", "article", "aside", "dd", "div", "dl", "dt", "footer", "form", "header",
    "li", "section", "tr",
}  # fmt: skip
_PARAGRAPHS = {
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
}
_HIDDEN = {"head", "script", "style", "template", "title", "noscript", "xml"}


class _TextReader(HTMLParser):
    """Collects an HTML body's text line by line; blockquote lines get "> " so that
    quoted replies are recognised like plain-text ones."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._hidden = 0
        self._quote = 0
        self._pre = 0

    def _blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _break(self, *, keep_empty: bool = False) -> None:
        text = "".join(self._line).strip()
        self._line = []
        if text:
            self.lines.append("> " * self._quote + text)
        elif keep_empty:
            self._blank()

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._break(keep_empty=True)
        elif tag in _LINES or tag in _PARAGRAPHS:
            self._break()
            if tag in _PARAGRAPHS:
                self._blank()
            if tag == "blockquote":
                self._quote += 1
            elif tag == "pre":
                self._pre += 1
            elif tag == "li":
                self._line.append("- ")
        elif tag in ("td", "th"):
            self._line.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self._line.append(f"[{alt.strip()}]")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in _LINES or tag in _PARAGRAPHS:
            self._break()
            if tag == "blockquote":
                self._quote = max(self._quote - 1, 0)
            elif tag == "pre":
                self._pre = max(self._pre - 1, 0)
            if tag in _PARAGRAPHS:
                self._blank()

    def handle_data(self, data):
        if self._hidden:
            return
        if self._pre:
            first, *rest = data.split("\n")
            self._line.append(first)
            for line in rest:
                self._break()
                self._line.append(line)
            return
        self._line.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        self._break()
        return "\n".join(self.lines).strip()


def html_to_text(html: str) -> str:
    """The readable text of an HTML body (scripts, styles and the head left out)."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return reader.text()
