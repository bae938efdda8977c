from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from crm.web.public import quote_public_pdf

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("hooks/", include("channels_app.urls")),
    path("chat/", include("channels_app.web_urls")),
    path("api/v1/", include("crm.api.urls")),
    path("api/v1/", include("channels_app.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("crm.web.auth_urls")),
    path("inbox/", include("channels_app.console_urls")),
    path("d/quotes/<str:token>/", quote_public_pdf, name="quote_public_pdf"),
    path("", include("crm.web.urls")),
]
