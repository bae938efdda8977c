from django.urls import path
from rest_framework.routers import DefaultRouter

from . import sales, views

router = DefaultRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("channel-identities", views.ChannelIdentityViewSet, basename="channelidentity")
router.register("products", views.ProductViewSet, basename="product")
router.register("price-lists", views.PriceListViewSet, basename="pricelist")
router.register("price-breaks", views.PriceBreakViewSet, basename="pricebreak")
router.register("pipelines", views.PipelineViewSet, basename="pipeline")
router.register("stages", views.StageViewSet, basename="stage")
router.register("deals", views.DealViewSet, basename="deal")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("quotes", sales.QuoteViewSet, basename="quote")
router.register("orders", sales.OrderViewSet, basename="order")
router.register("exchange-rates", sales.ExchangeRateViewSet, basename="exchangerate")

urlpatterns = [
    path("auth/token/", views.AuthTokenView.as_view(), name="api-token"),
    path("pricing/preview", sales.PricingPreviewView.as_view(), name="pricing-preview"),
    *router.urls,
]
