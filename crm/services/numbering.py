"""Document numbers: unique and gap-free, also under concurrency."""

from django.db import transaction

from ..models import DocumentSequence


def document_number_next(*, kind: str, year: int) -> str:
    """The next number of `kind` ("Q", "SO") in `year`, e.g. Q-2026-0007.

    Must run inside the transaction that saves the document: the sequence row stays
    locked until it commits, and a rollback gives the number back, so there are no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_next must run inside the document's transaction")
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(kind=kind, year=year, last_number=0)], ignore_conflicts=True
    )
    sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{kind}-{year}-{sequence.last_number:04d}"


def document_sequence_raise_to(*, kind: str, year: int, number: int) -> None:
    """Make sure the next number of `kind` in `year` comes after `number` (imported data)."""
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(kind=kind, year=year, last_number=0)], ignore_conflicts=True
    )
    DocumentSequence.objects.filter(kind=kind, year=year, last_number__lt=number).update(
        last_number=number
    )
