"""Where the assistant is weak: low-confidence messages, questions it could not answer,
escalations, and how intents and languages are spread, over the last N days."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Avg, Count, Q
from django.utils import timezone

from assistant.models import AssistantTurn


class Command(BaseCommand):
    help = "List the assistant's weak spots from its turn records."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="how far back (default 30)")
        parser.add_argument(
            "--confidence", type=float, default=0.6, help="below this is low confidence (0.6)"
        )
        parser.add_argument("--limit", type=int, default=20, help="examples per list (20)")

    def handle(self, *args, days: int, confidence: float, limit: int, **options):
        since = timezone.now() - timedelta(days=max(days, 1))
        turns = AssistantTurn.objects.filter(created_at__gte=since)
        total = turns.count()
        write = self.stdout.write
        write(f"Assistant turns in the last {days} days: {total}")
        if not total:
            write("Nothing to report yet.")
            return
        summary = turns.aggregate(
            low=Count("id", filter=Q(intent_confidence__lt=confidence)),
            unanswered=Count("id", filter=Q(answered=False)),
            escalated=Count("id", filter=Q(escalate=True)),
            llm=Count("id", filter=Q(generator="llm")),
            latency=Avg("duration_ms"),
        )
        write(
            f"Low confidence (<{confidence}): {summary['low']}  unanswered: "
            f"{summary['unanswered']}  escalated: {summary['escalated']}  "
            f"LLM-worded: {summary['llm']}  mean turn: {summary['latency']:.1f} ms"
        )
        self._table(
            "By intent",
            turns.values("intent").annotate(
                n=Count("id"),
                conf=Avg("intent_confidence"),
                unanswered=Count("id", filter=Q(answered=False)),
            ),
            "intent",
        )
        self._table(
            "By language",
            turns.values("language").annotate(
                n=Count("id"),
                conf=Avg("intent_confidence"),
                unanswered=Count("id", filter=Q(answered=False)),
            ),
            "language",
        )
        self._examples(
            f"Low-confidence messages (<{confidence})",
            turns.filter(intent_confidence__lt=confidence).order_by("intent_confidence"),
            limit,
        )
        self._examples(
            "Questions it could not answer",
            turns.filter(answered=False).order_by("-created_at"),
            limit,
        )

    def _table(self, title: str, rows, key: str) -> None:
        self.stdout.write(f"\n{title}:")
        self.stdout.write(f"  {key:<18} {'turns':>6} {'mean conf':>10} {'unanswered':>11}")
        for row in sorted(rows, key=lambda row: -row["n"]):
            self.stdout.write(
                f"  {row[key] or '-':<18} {row['n']:>6} {row['conf'] or 0:>10.2f} "
                f"{row['unanswered']:>11}"
            )

    def _examples(self, title: str, turns, limit: int) -> None:
        self.stdout.write(f"\n{title}:")
        rows = list(turns[:limit])
        if not rows:
            self.stdout.write("  none")
        for turn in rows:
            text = " ".join(turn.text.split())[:90]
            self.stdout.write(
                f"  [{turn.language or '-'}] {turn.intent} {turn.intent_confidence:.2f} "
                f"{turn.action}: {text}"
            )
