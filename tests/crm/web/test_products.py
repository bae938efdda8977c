import pytest
from django.urls import reverse

from crm.models import Product

pytestmark = pytest.mark.django_db


def test_product_list_shows_catalog_with_default_price_breaks(rep1_client):
    response = rep1_client.get(reverse("crm:product_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "LP-6060-40" in html
    assert "LED Panel Light 600x600 40W" in html
    assert "$8.20" in html  # the 2,000-unit break
    assert "RoHS" in html
    assert response.context["page"].paginator.count == Product.objects.count()


def test_product_list_search_and_category(rep1_client):
    url = reverse("crm:product_list")
    response = rep1_client.get(url, {"q": "600x600"})
    assert [p.sku for p in response.context["page"].object_list] == ["LP-6060-40"]
    response = rep1_client.get(url, {"category": "ev"})
    assert {p.category for p in response.context["page"].object_list} == {"ev"}


def test_product_list_names_follow_the_active_language(rep1_client, settings):
    rep1_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = rep1_client.get(reverse("crm:product_list")).content.decode()
    assert "LED面板灯 600x600 40W" in html


def test_product_detail_shows_every_language(rep1_client):
    product = Product.objects.get(sku="LP-6060-40")
    response = rep1_client.get(reverse("crm:product_detail", args=[product.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "LED面板灯 600x600 40W" in html
    assert '<td lang="ar" dir="rtl">لوحة إضاءة LED مقاس 600×600 بقدرة 40 واط</td>' in html
    assert "Светодиодная панель 600x600 40 Вт" in html
    assert "9405.11" in html
    assert len(response.context["translations"]) == 8


def test_unknown_product_is_404(rep1_client):
    assert rep1_client.get(reverse("crm:product_detail", args=[999999])).status_code == 404
