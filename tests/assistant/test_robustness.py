"""Bad input gives an Understanding, never an exception."""

import pytest

from assistant.understanding import understand
from assistant.understanding.intent_rules import INTENTS

from .conftest import NOW

BAD_INPUTS = [
    "",
    "   \n\t  ",
    "x" * 20_000,
    "LED panel 600x600 " * 1500,
    "😀😃😄😁🙏👍",
    "1234567890",
    "0000000000000000000000000000000",
    "Hello 你好 Привет مرحبا Bonjour Hola Olá Hallo",
    "<script>alert('x')</script><b>Quote</b> 100 panels &amp; 50 bulbs",
    "'; DROP TABLE crm_contact; -- SELECT * FROM users WHERE 1=1",
    "\x00\x01\x02 binary \ufffd\ufffd",
    "‮‭ RTL override ‬",
    "%s %d {0} {name} \\x00 \\n",
    "A" * 5000 + " 2,000 pcs " + "B" * 5000,
    "999999999999999999999999999999 pcs LED panel",
    "SO-9999-99999999 +999 999 999 999 1/1/1 32/13/2027 2027-02-30",
    "ﷺ ﷽ 𝕿𝖊𝖘𝖙 ｆｕｌｌｗｉｄｔｈ　１００ｐｃｓ",
]


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_bad_input_is_understood_without_exception(text):
    result = understand(text, now=NOW)
    assert result.intent in INTENTS
    assert isinstance(result.language, str) and result.language
    assert -1 <= result.sentiment_score <= 1
    assert isinstance(result.entities["items"], list)


def test_non_string_input_is_tolerated():
    assert understand(None, now=NOW).intent in INTENTS  # type: ignore[arg-type]


def test_markup_is_stripped_before_reading(read):
    result = read("<p>Please quote <b>500</b> pcs <i>flood light 200W</i></p>")
    assert result.entities["items"] == [{"sku": "FL-200", "quantity": 500, "unit": "pcs"}]


def test_quoted_earlier_mail_is_ignored(read):
    text = (
        "Thanks, we confirm the order.\n\nOn Mon, 23 Nov 2026 Lisa wrote:\n"
        "> Dear Emily, the price for 50,000 bulbs is 0.49"
    )
    result = read(text)
    assert result.intent == "order_placement"
    assert result.entities["items"] == []
