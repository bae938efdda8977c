"""Document numbers: unique and gap-free, also under concurrency."""

from django.db import transaction

from ..models import DocumentSequence

_NEXT_NUMBER = (
    "INSERT INTO crm_documentsequence (kind, year, last_number) VALUES (%s, %s, 1) "
    "ON CONFLICT (kind, year) DO UPDATE SET last_number = crm_documentsequence.last_number + 1 "
    "RETURNING last_number"
)


def document_number_next(*, kind: str, year: int) -> str:
    """The next number of `kind` ("Q", "SO") in `year`, e.g. Q-2026-0007.

    Must run inside the transaction that saves the document: the sequence row stays
    locked until it commits, and a rollback gives the number back, so there are no gaps.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("document_number_next must run inside the document's transaction")
    # One statement: the first number of the year inserts the row, the next ones
    # increment it; either way the row stays locked until the transaction ends.
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER, [kind, year])
        (number,) = cursor.fetchone()
    return f"{kind}-{year}-{number:04d}"


def document_sequence_raise_to(*, kind: str, year: int, number: int) -> None:
    """Make sure the next number of `kind` in `year` comes after `number` (imported data)."""
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(kind=kind, year=year, last_number=0)], ignore_conflicts=True
    )
    DocumentSequence.objects.filter(kind=kind, year=year, last_number__lt=number).update(
        last_number=number
    )
