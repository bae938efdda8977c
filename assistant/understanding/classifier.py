"""The intent classifier at run time: character and word n-grams, TF-IDF weights and a
multinomial logistic regression, read from `models/intent.npz`.

The model is fitted offline with scikit-learn from our own examples in
`assistant/training/` (`python manage.py assistant_train_intents`) and stored as plain
arrays, so a worker needs neither scikit-learn nor a pickle, loads in a few
milliseconds and gives the same answer on every machine.
"""

import math
import re
import threading
from pathlib import Path

import numpy as np

from .text import fold

MODEL_PATH = Path(__file__).resolve().parent / "models" / "intent.npz"

_WORD = re.compile(r"[a-z\u0400-\u04ff\u0600-\u06ff]+(?:'[a-z]+)?|0+|[?!$€%]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


MAX_CHARS = 4000


def features(text: str, *, folded: str | None = None) -> list[str]:
    """The n-grams a message is described by; training and inference share this.
    `folded`: `fold(text[:MAX_CHARS]).text`, when the caller has it already."""
    if folded is None:
        folded = fold(text[:MAX_CHARS]).text
    folded = re.sub(r"\d", "0", folded)
    out: list[str] = []
    words = _WORD.findall(folded)
    out.extend("w:" + word for word in words)
    out.extend(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        if len(word) < 3 or word.startswith("0"):
            continue
        padded = f" {word} "
        for size in (3, 4, 5):
            out.extend("c:" + padded[i : i + size] for i in range(len(padded) - size + 1))
    for run in _HAN_RUN.findall(folded):
        out.extend("h:" + char for char in run)
        out.extend("h:" + run[i : i + 2] for i in range(len(run) - 1))
        out.extend("h:" + run[i : i + 3] for i in range(len(run) - 2))
    return out


class IntentModel:
    def __init__(self, path: Path) -> None:
        data = np.load(path, allow_pickle=False)
        self.classes = [str(c) for c in data["classes"]]
        self.vocabulary = {str(term): index for index, term in enumerate(data["vocab"])}
        self.idf = data["idf"].astype(np.float64)
        self.coef = data["coef"].astype(np.float64)  # classes x vocabulary
        self.intercept = data["intercept"].astype(np.float64)
        self.data_hash = str(data["data_hash"])

    def probabilities(self, text: str, *, folded: str | None = None) -> dict[str, float]:
        counts: dict[int, int] = {}
        for feature in features(text, folded=folded):
            index = self.vocabulary.get(feature)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        logits = self.intercept.copy()
        if counts:
            indices = np.fromiter(counts.keys(), dtype=np.int64)
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
            weights = tf * self.idf[indices]
            norm = float(np.sqrt(np.dot(weights, weights))) or 1.0
            logits = logits + self.coef[:, indices] @ (weights / norm)
        logits -= logits.max()
        exp = np.exp(logits)
        probs = exp / exp.sum()
        return {name: float(p) for name, p in zip(self.classes, probs, strict=True)}


_model: IntentModel | None = None
_missing = False
_lock = threading.Lock()


def load_model() -> IntentModel | None:
    global _model, _missing
    if _model is None and not _missing:
        with _lock:
            if _model is None and not _missing:
                if MODEL_PATH.exists():
                    _model = IntentModel(MODEL_PATH)
                else:
                    _missing = True  # rules alone still decide; the build command makes the model
    return _model


def reset() -> None:
    """Forget the loaded model (after a rebuild)."""
    global _model, _missing
    with _lock:
        _model = None
        _missing = False


def warm_up() -> None:
    load_model()


def intent_probabilities(text: str, *, folded: str | None = None) -> dict[str, float]:
    """Probability per intent; `folded` as for `features`."""
    model = load_model()
    if model is None:
        return {}
    return model.probabilities(text, folded=folded)
