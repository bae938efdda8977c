"""A small deterministic multilingual embedder for the pgvector document store.

This is a lexical-similarity embedding, not a semantic one: each text (in its search
form, see `text.py`) becomes counts of hashed features — every search term itself and
the character n-grams of each term — folded into `DIMENSION` buckets by scikit-learn's
`HashingVectorizer` and L2-normalised, so the cosine of two vectors measures how many
terms and pieces of terms they share. It needs no model, no download and no tokenizer:
Chinese arrives as characters and bigrams, Arabic as light stems, and the n-grams let
"garantías" meet "Garantie". It does not know that "warranty" and "保修" mean the same;
a neural multilingual embedder would (see docs/assistant.md, Knowledge, to swap one in).

The two haystack components follow the shape of haystack's own embedders
(`SentenceTransformersTextEmbedder` / `...DocumentEmbedder`): the text embedder returns
`{"embedding": [...]}`, the document embedder returns the documents with `embedding` set.
This module imports haystack; `index.py` imports it on the first search only.
"""

from dataclasses import replace
from functools import lru_cache

from haystack import Document, component

DIMENSION = 512
NGRAMS = (2, 3)  # character n-grams of each term, with the term's boundaries marked
TERM_WEIGHT = 2  # a whole term counts as much as this many of its n-grams


def _features(search_form: str) -> list[str]:
    features: list[str] = []
    for term in search_form.split():
        features.extend([f"={term}"] * TERM_WEIGHT)
        marked = f"<{term}>"
        for size in range(NGRAMS[0], NGRAMS[1] + 1):
            features.extend(marked[start : start + size] for start in range(len(marked) - size + 1))
    return features


@lru_cache(maxsize=1)
def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer=_features,
        n_features=DIMENSION,
        alternate_sign=False,
        norm="l2",
        dtype="float32",
    )


def embed(texts: list[str]) -> list[list[float]]:
    """L2-normalised vectors of `DIMENSION` floats, one per text (in its search form); an
    empty text gives the zero vector."""
    if not texts:
        return []
    matrix = _vectorizer().transform(texts).toarray()
    return [[float(value) for value in row] for row in matrix]


@component
class HashingTextEmbedder:
    """Embeds a question (already in its search form)."""

    def __init__(self, dimension: int = DIMENSION):
        if dimension != DIMENSION:
            raise ValueError(f"this embedder produces {DIMENSION} dimensions, not {dimension}")
        self.dimension = dimension

    @component.output_types(embedding=list[float])
    def run(self, text: str):
        return {"embedding": embed([text])[0]}


@component
class HashingDocumentEmbedder:
    """Embeds documents whose content is already in its search form."""

    def __init__(self, dimension: int = DIMENSION):
        if dimension != DIMENSION:
            raise ValueError(f"this embedder produces {DIMENSION} dimensions, not {dimension}")
        self.dimension = dimension

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]):
        vectors = embed([document.content or "" for document in documents])
        return {
            "documents": [
                replace(document, embedding=vector)
                for document, vector in zip(documents, vectors, strict=True)
            ]
        }
