"""Fit the intent classifier from our own examples and store it as plain arrays.

Needs scikit-learn (a build-time dependency); the worker only reads the result with
numpy (see `assistant/understanding/classifier.py`).
"""

import random
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.understanding.classifier import MODEL_PATH, features
from assistant.understanding.places import COUNTRY_NAMES_PATH, country_names_from_cldr

from .examples import data_hash, training_examples

C = 6.0
MIN_DF = 2
PRUNE_BELOW = 0.02  # features whose weight never reaches this in any class are dropped


def _fit(texts: list[str], labels: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=MIN_DF, norm="l2")
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C, max_iter=4000, random_state=0)
    model.fit(matrix, labels)
    return vectorizer, model


def held_out_accuracy(seed: int = 7, share: float = 0.2) -> float:
    """Accuracy on a random fifth of the examples, fitted on the rest (a sanity check)."""
    examples = training_examples()
    rng = random.Random(seed)
    rng.shuffle(examples)
    cut = int(len(examples) * share)
    test, train = examples[:cut], examples[cut:]
    vectorizer, model = _fit([t for t, _, _ in train], [i for _, i, _ in train])
    predicted = model.predict(vectorizer.transform([t for t, _, _ in test]))
    return float(np.mean([p == i for p, (_, i, _) in zip(predicted, test, strict=True)]))


def build(path: Path = MODEL_PATH) -> dict:
    examples = training_examples()
    texts = [text for text, _, _ in examples]
    labels = [intent for _, intent, _ in examples]
    vectorizer, model = _fit(texts, labels)
    vocabulary = vectorizer.get_feature_names_out()
    coef = model.coef_
    keep = np.abs(coef).max(axis=0) >= PRUNE_BELOW
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        classes=np.array(model.classes_, dtype=str),
        vocab=np.array(vocabulary[keep], dtype=str),
        idf=vectorizer.idf_[keep].astype(np.float32),
        coef=coef[:, keep].astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
        data_hash=np.array(data_hash()),
    )
    return {
        "examples": len(examples),
        "per_language": dict(Counter(language for _, _, language in examples)),
        "features": int(keep.sum()),
        "features_before_pruning": len(vocabulary),
        "bytes": path.stat().st_size,
    }


def build_country_names(path: Path = COUNTRY_NAMES_PATH) -> int:
    """Store the CLDR country names the gazetteer uses, so workers need not load CLDR."""
    import json

    names = country_names_from_cldr()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(names, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return path.stat().st_size
