"""Links a buyer may open without an account: a signed, expiring URL per document."""

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..models import Quote
from ..models.sales import QuoteStatus

SALT = "portolan.quote-pdf"
MAX_AGE_SECONDS = 180 * 24 * 3600
BUYER_VISIBLE = (QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.EXPIRED)


def quote_public_url(quote: Quote) -> str:
    """The quote's PDF for the buyer: signed with SECRET_KEY, valid for 180 days."""
    token = signing.dumps({"quote": quote.pk, "revision": quote.revision}, salt=SALT)
    path = reverse("quote_public_pdf", kwargs={"token": token})
    return settings.PORTOLAN_PUBLIC_URL.rstrip("/") + path


@require_GET
def quote_public_pdf(request, token: str):
    from ..documents.quotes import quote_pdf_render

    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        quote = Quote.objects.get(
            pk=int(data["quote"]), revision=int(data["revision"]), status__in=BUYER_VISIBLE
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, Quote.DoesNotExist):
        raise Http404 from None
    response = HttpResponse(quote_pdf_render(quote=quote), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}-rev{quote.revision}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response
