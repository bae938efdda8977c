"""Load the demo seller's knowledge articles (idempotent)."""

from django.conf import settings
from django.db import transaction

from ..models import KnowledgeArticle
from .demo_articles import DEMO_ARTICLES


@transaction.atomic
def knowledge_demo_load() -> int:
    """Create or bring back in line the demo articles, every language filled in; returns
    how many were created. An article someone unpublished stays unpublished."""
    created_count = 0
    for article in DEMO_ARTICLES:
        fields = {"topic": article["topic"], "link": ""}
        for code, _name in settings.LANGUAGES:
            column = code.replace("-", "_")
            fields[f"title_{column}"] = article["title"][code]
            fields[f"body_{column}"] = "\n".join(article["body"][code])
        _article, created = KnowledgeArticle.objects.update_or_create(
            slug=article["slug"], defaults=fields, create_defaults={**fields, "is_published": True}
        )
        created_count += created
    return created_count
