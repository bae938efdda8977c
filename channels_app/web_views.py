"""The chat widget's demo page: a product page of the seller with the one script tag."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def chat_demo(request: HttpRequest) -> HttpResponse:
    return render(request, "channels_app/chat_demo.html", {"seller": settings.PORTOLAN_SELLER})
