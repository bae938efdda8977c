import pytest

from assistant.understanding.language import detect_language, language_for_phone


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Could you send me the price list for your high bay lights?", "en"),
        ("pls quote 3k pcs tube 18w asap", "en"),
        ("我想了解一下你们的筒灯，有现货吗？", "zh"),
        ("Necesitamos 500 focos para una obra en Monterrey, ¿tienen stock?", "es"),
        ("Vocês conseguem entregar 300 refletores em Recife até dezembro?", "pt"),
        ("Подскажите, пожалуйста, срок поставки инверторов", "ru"),
        ("نحتاج عرض سعر لكشافات 200 واط", "ar"),
        ("Pouvez-vous nous envoyer vos tarifs pour les projecteurs ?", "fr"),
        ("Können Sie uns die Preise für die Wallboxen schicken?", "de"),
        ("这个UFO工矿灯150W有UL认证吗？", "zh"),  # Latin specs inside a Chinese sentence
        ("هل عندكم LED panel 600x600 جاهز؟", "ar"),
        ("Есть datasheet на LiFePO4 12,8V?", "ru"),
    ],
)
def test_language_of_a_message(text, language):
    assert detect_language(text)[0] == language


@pytest.mark.parametrize(
    ("text", "hints", "language"),
    [
        ("ok", ["es"], "es"),
        ("👍👍", ["pt"], "pt"),
        ("100", ["fr"], "fr"),
        ("LP-6060-40 x 500", ["de"], "de"),
        ("Hola", ["pt"], "es"),  # the text itself is clear: the hint does not override it
        ("Danke", ["en"], "de"),
        ("спасибо", ["en"], "ru"),
    ],
)
def test_short_messages_take_the_channel_hint_unless_the_text_is_clear(text, hints, language):
    assert detect_language(text, hints=hints)[0] == language


def test_conversation_history_decides_a_bare_acknowledgement():
    history = ["Buenos días, necesito precio de paneles solares", "¿Y el flete a Callao?"]
    assert detect_language("ok 👌", hints=["en"], history=history)[0] == "es"


def test_emoji_only_without_hints_is_english_with_low_confidence():
    language, confidence = detect_language("🙏🙏")
    assert language == "en"
    assert confidence < 0.5


@pytest.mark.parametrize(
    ("address", "language"),
    [
        ("+51987654321", "es"),
        ("+5511987650000", "pt"),
        ("+971501234567", "ar"),
        ("+79131234567", "ru"),
        ("+8613805712345", "zh"),
        ("+33612345678", "fr"),
        ("+491712345678", "de"),
        ("+2348031234567", "en"),
        ("not a phone", ""),
    ],
)
def test_phone_country_gives_a_language_hint(address, language):
    assert language_for_phone(address) == language


def test_other_scripts_are_reported_as_their_language():
    assert detect_language("こんにちは、見積もりをお願いします")[0] == "ja"
    assert detect_language("안녕하세요 가격 문의드립니다")[0] == "ko"
