"""The stored intent model matches our training examples and stays free of dev cases."""

import json
from pathlib import Path

from assistant.training.examples import data_hash, training_examples
from assistant.understanding.classifier import load_model
from assistant.understanding.intent_rules import INTENTS

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "dev.jsonl"


def test_stored_model_was_built_from_the_current_examples():
    model = load_model()
    assert model is not None, "run: python manage.py assistant_train_intents"
    assert model.data_hash == data_hash(), "training examples changed: rebuild the model"
    assert sorted(model.classes) == sorted(INTENTS)


def test_every_language_and_intent_has_examples():
    seen = {(language, intent) for _, intent, language in training_examples()}
    for language in ("en", "zh", "es", "pt", "ru", "ar", "fr", "de"):
        for intent in INTENTS:
            assert (language, intent) in seen


def test_training_examples_do_not_contain_dev_cases():
    if not DEV.exists():
        return
    dev = {
        json.loads(line)["text"].strip().lower()
        for line in DEV.read_text(encoding="utf-8").splitlines()
        if line
    }
    assert not dev & {text.strip().lower() for text, _, _ in training_examples()}


def test_probabilities_are_a_distribution():
    model = load_model()
    probabilities = model.probabilities("Please quote 500 pcs")
    assert abs(sum(probabilities.values()) - 1) < 1e-6
    assert max(probabilities, key=probabilities.get) == "quote_request"
