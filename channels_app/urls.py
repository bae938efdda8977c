from django.urls import include, path

from . import views

# WhatsApp and Telegram use the generic webhook view; WeChat (passive replies) and email
# (anymail and raw MIME) have their own modules.
urlpatterns = [
    path("whatsapp/", views.webhook, {"channel": "whatsapp"}, name="hook-whatsapp"),
    path("telegram/", views.webhook, {"channel": "telegram"}, name="hook-telegram"),
    path("wechat/", include("channels_app.wechat_urls")),
    path("email/", include("channels_app.email_urls")),
]
