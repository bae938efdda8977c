import pytest


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Great, thanks a lot for your help! 👍", "positive"),
        ("非常感谢，很满意！", "positive"),
        ("Muchas gracias, excelente servicio", "positive"),
        ("Спасибо, всё отлично!", "positive"),
        ("Half the lamps are broken, terrible quality", "negative"),
        ("质量太差了，客户都在投诉", "negative"),
        ("Pésimo servicio, nadie responde", "negative"),
        ("Die Ware ist kaputt angekommen, sehr enttäuscht", "negative"),
        ("البضاعة وصلت تالفة، خدمة سيئة", "negative"),
        ("Please quote 500 panels CIF Lagos", "neutral"),
        ("Quel est le délai de livraison ?", "neutral"),
    ],
)
def test_sentiment_in_several_languages(read, text, sentiment):
    result = read(text)
    assert result.sentiment == sentiment
    assert -1 <= result.sentiment_score <= 1


def test_emojis_count(read):
    assert (
        read("ok 😡😡").sentiment_score
        < read("ok").sentiment_score
        < read("ok 😊👍").sentiment_score
    )


@pytest.mark.parametrize(
    ("negated", "plain"),
    [
        ("We are not happy with the delivery", "We are happy with the delivery"),
        ("No estamos contentos con el pedido", "Estamos contentos con el pedido"),
        ("Wir sind nicht zufrieden", "Wir sind zufrieden"),
        ("Мы не довольны", "Мы довольны"),
    ],
)
def test_negation_turns_praise_around(read, negated, plain):
    assert read(negated).sentiment_score < read(plain).sentiment_score


def test_no_problem_is_not_negative(read):
    assert read("No problem, go ahead").sentiment != "negative"
    assert read("没问题，谢谢").sentiment == "positive"


def test_a_complaint_is_never_positive(read):
    result = read("The bulbs arrived damaged, thanks for checking 🙏")
    assert result.intent == "complaint"
    assert result.sentiment == "negative"
