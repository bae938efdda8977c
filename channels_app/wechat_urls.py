from django.urls import path

from . import wechat_views
from .views import concurrent_webhook

# Its own view, not the generic webhook: the reply may go back in the push's response.
urlpatterns = [
    path("", concurrent_webhook(wechat_views.wechat_webhook), name="hook-wechat"),
]
