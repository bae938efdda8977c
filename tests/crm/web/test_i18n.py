import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_english_pages_are_left_to_right(rep1_client):
    html = rep1_client.get(reverse("crm:pipeline_board")).content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_arabic_cookie_turns_the_page_right_to_left(rep1_client, settings):
    rep1_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = rep1_client.get(reverse("crm:pipeline_board")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_language_switcher_sets_arabic(rep1_client):
    response = rep1_client.post(
        reverse("set_language"), {"language": "ar", "next": reverse("crm:company_list")}
    )
    assert response.status_code == 302
    assert response.url == reverse("crm:company_list")
    html = rep1_client.get(response.url).content.decode()
    assert 'dir="rtl"' in html
    assert "الشركات" in html  # "Companies" in the navigation


def test_switcher_offers_every_language_in_its_own_name(rep1_client):
    html = rep1_client.get("/").content.decode()
    for name in (
        "English",
        "简体中文",
        "Español",
        "Português",
        "Русский",
        "العربيّة",
        "Français",
        "Deutsch",
    ):
        assert name in html


def test_simplified_chinese_translates_the_navigation(rep1_client, settings):
    rep1_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = rep1_client.get("/").content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "仪表板" in html  # Dashboard
    assert "销售管道" in html  # Pipeline
    assert "退出登录" in html  # Log out
