"""REST API for pricing, quotes, orders and exchange rates."""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..incoterms import INCOTERMS
from ..models import (
    ExchangeRate,
    Order,
    OrderEvent,
    OrderStatus,
    Payment,
    PaymentKind,
    Quote,
    QuoteComponent,
    QuoteLine,
    TierCode,
)
from ..models.sales import ACCEPTANCE_CHANNELS
from ..selectors.pricing import PricingInputError, PricingResult, pricing_preview
from ..selectors.sales import orders_visible_to, quotes_visible_to
from ..selectors.visibility import companies_visible_to, contacts_visible_to, deals_visible_to
from ..services import orders as order_services
from ..services import quotes as quote_services
from .serializers import VisibleRelatedField
from .views import IsAdminOrReadOnly, IsStaffUser

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class ItemSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=40)
    # Validated by the pricing engine, so "1.5" and "-3" get its messages.
    quantity = serializers.JSONField()


class PricingRequestSerializer(serializers.Serializer):
    items = ItemSerializer(many=True, allow_empty=False)
    tier = serializers.ChoiceField(choices=TierCode.choices, required=False)
    company = VisibleRelatedField(selector=companies_visible_to, required=False, allow_null=True)
    incoterm = serializers.CharField(max_length=3, required=False, default="FOB")
    currency = serializers.CharField(max_length=3, required=False, default="USD")
    destination_country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default=""
    )
    date = serializers.DateField(required=False)


def pricing_result_data(result: PricingResult) -> dict:
    """The preview contract: money as decimal strings, in the request's currency."""
    return {
        "currency": result.currency,
        "exchange_rate": str(result.exchange_rate),
        "tier": result.tier,
        "incoterm": result.incoterm,
        "destination_country": result.destination_country,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": str(line.unit_price),
                "line_total": str(line.line_total),
                "lead_time_days": line.lead_time_days,
                "cartons": line.cartons,
                "cbm": str(line.cbm),
                "gross_kg": str(line.gross_kg),
            }
            for line in result.lines
        ],
        "subtotal": str(result.subtotal),
        "components": [
            {"kind": c.kind, "amount": str(c.amount), "label": c.label, "detail": c.detail}
            for c in result.components
        ],
        "total": str(result.total),
        "lead_time_days": result.lead_time_days,
        "cbm": str(result.cbm),
        "gross_kg": str(result.gross_kg),
        "warnings": result.warnings,
    }


def pricing_errors(error: PricingInputError) -> dict:
    fields = {}
    for field, messages in error.errors.items():
        if isinstance(messages, dict):
            fields[field] = {str(index): item_messages for index, item_messages in messages.items()}
        else:
            fields[field] = messages
    return fields


class PricingPreviewView(APIView):
    """Price items for a tier or a company on an incoterm, in a currency. Writes nothing."""

    permission_classes = [IsStaffUser]

    @extend_schema(
        request=PricingRequestSerializer,
        responses={200: OpenApiResponse(description="priced lines")},
    )
    def post(self, request):
        payload = PricingRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            result = pricing_preview(
                items=data["items"],
                tier=data.get("tier"),
                company=data.get("company"),
                incoterm=data["incoterm"],
                currency=data["currency"],
                destination_country=data["destination_country"],
                on_date=data.get("date"),
            )
        except PricingInputError as error:
            raise ValidationError(pricing_errors(error)) from error
        return Response(pricing_result_data(result))


class QuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = [
            "position",
            "sku",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "line_total",
            "lead_time_days",
            "cartons",
        ]


class QuoteComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteComponent
        fields = ["position", "kind", "amount", "detail"]


class QuoteSerializer(serializers.ModelSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True)
    components = QuoteComponentSerializer(many=True, read_only=True)
    company_name = serializers.CharField(source="company.legal_name", read_only=True)
    destination_country = serializers.CharField(source="destination_country.code", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "number",
            "revision",
            "display_number",
            "supersedes",
            "status",
            "company",
            "company_name",
            "contact",
            "deal",
            "language",
            "currency",
            "exchange_rate",
            "incoterm",
            "named_place",
            "destination_country",
            "payment_terms",
            "issued_on",
            "valid_until",
            "lead_time_days",
            "subtotal",
            "components",
            "total",
            "cbm",
            "gross_kg",
            "lines",
            "notes",
            "created_by",
            "created_by_assistant",
            "sent_at",
            "decided_at",
            "decided_by",
            "decided_via",
            "rejection_reason",
            "created_at",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, quote: Quote) -> str:
        return f"/api/v1/quotes/{quote.pk}/pdf/"


class QuoteCreateSerializer(serializers.Serializer):
    company = VisibleRelatedField(selector=companies_visible_to)
    contact = VisibleRelatedField(selector=contacts_visible_to, required=False, allow_null=True)
    deal = VisibleRelatedField(selector=deals_visible_to, required=False, allow_null=True)
    items = ItemSerializer(many=True, allow_empty=False)
    incoterm = serializers.ChoiceField(choices=[(t, t) for t in INCOTERMS], default="FOB")
    named_place = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    destination_country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default=""
    )
    currency = serializers.CharField(max_length=3, required=False)
    payment_terms = serializers.CharField(max_length=200, required=False)
    validity_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    language = serializers.CharField(max_length=10, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class QuoteReviseSerializer(serializers.Serializer):
    items = ItemSerializer(many=True, allow_empty=False, required=False)
    incoterm = serializers.ChoiceField(choices=[(t, t) for t in INCOTERMS], required=False)
    named_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    destination_country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    currency = serializers.CharField(max_length=3, required=False)
    payment_terms = serializers.CharField(max_length=200, required=False)
    validity_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    notes = serializers.CharField(required=False, allow_blank=True)


class QuoteDecisionSerializer(serializers.Serializer):
    by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(
        choices=[(c, c) for c in ACCEPTANCE_CHANNELS], default="staff"
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class QuoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quotes: create a draft, then send, accept, reject, revise; the PDF in the buyer's language."""

    serializer_class = QuoteSerializer
    filterset_fields = ["company", "status", "number", "currency", "incoterm", "deal"]
    search_fields = ["number", "company__legal_name"]
    ordering_fields = ["issued_on", "total", "valid_until"]

    def get_queryset(self):
        return (
            quotes_visible_to(self.request.user)
            .select_related("company")
            .prefetch_related(
                Prefetch("lines", queryset=QuoteLine.objects.order_by("position")),
                Prefetch("components", queryset=QuoteComponent.objects.order_by("position")),
            )
        )

    @extend_schema(request=QuoteCreateSerializer, responses=QuoteSerializer)
    def create(self, request):
        payload = QuoteCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        quote = quote_services.quote_create(user=request.user, **payload.validated_data)
        return Response(self._fresh(quote), status=status.HTTP_201_CREATED)

    def _fresh(self, quote: Quote) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=quote.pk)).data

    @extend_schema(request=None, responses=QuoteSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return Response(
            self._fresh(quote_services.quote_send(quote=self.get_object(), user=request.user))
        )

    @extend_schema(request=QuoteDecisionSerializer, responses=QuoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        quote = self.get_object()
        payload = QuoteDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        accepted = quote_services.quote_accept(
            quote=quote,
            accepted_by=payload.validated_data["by"],
            channel=payload.validated_data["channel"],
            user=request.user,
        )
        return Response(self._fresh(accepted))

    @extend_schema(request=QuoteDecisionSerializer, responses=QuoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        quote = self.get_object()
        payload = QuoteDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rejected = quote_services.quote_reject(
            quote=quote,
            reason=payload.validated_data["reason"],
            rejected_by=payload.validated_data["by"],
            channel=payload.validated_data["channel"],
            user=request.user,
        )
        return Response(self._fresh(rejected))

    @extend_schema(request=QuoteReviseSerializer, responses=QuoteSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        quote = self.get_object()
        payload = QuoteReviseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        revision = quote_services.quote_revise(
            quote=quote, user=request.user, **payload.validated_data
        )
        return Response(self._fresh(revision), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def order(self, request, pk=None):
        """Make the order from this accepted revision."""
        order = order_services.order_create_from_quote(quote=self.get_object(), user=request.user)
        return Response(
            OrderSerializer(orders_visible_to(request.user).get(pk=order.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(description="the quote as PDF")}
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        from ..documents.quotes import quote_pdf_render

        quote = self.get_object()
        response = HttpResponse(quote_pdf_render(quote=quote), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{quote.number}-rev{quote.revision}.pdf"'
        )
        return response


class OrderEventSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = OrderEvent
        fields = [
            "from_status",
            "to_status",
            "occurred_at",
            "actor",
            "note",
            "vessel",
            "container",
            "bill_of_lading",
            "etd",
            "eta",
            "tracking_url",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "kind", "amount", "currency", "received_on", "reference", "created_at"]


class OrderLineSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    sku = serializers.CharField()
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit = serializers.CharField()
    unit_price = serializers.DecimalField(**MONEY)
    line_total = serializers.DecimalField(**MONEY)


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    events = OrderEventSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    company_name = serializers.CharField(source="company.legal_name", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "quote",
            "company",
            "company_name",
            "contact",
            "deal",
            "status",
            "currency",
            "incoterm",
            "destination_port",
            "subtotal",
            "total",
            "deposit_percent",
            "expected_ship_date",
            "delivered_on",
            "lines",
            "events",
            "payments",
            "created_at",
        ]
        read_only_fields = fields


class OrderCreateSerializer(serializers.Serializer):
    quote = serializers.IntegerField()


class OrderTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    vessel = serializers.CharField(max_length=100, required=False, allow_blank=True)
    container = serializers.CharField(max_length=20, required=False, allow_blank=True)
    bill_of_lading = serializers.CharField(max_length=40, required=False, allow_blank=True)
    etd = serializers.DateField(required=False, allow_null=True)
    eta = serializers.DateField(required=False, allow_null=True)
    tracking_url = serializers.URLField(required=False, allow_blank=True)


class PaymentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PaymentKind.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    currency = serializers.CharField(max_length=3)
    received_on = serializers.DateField()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orders: create from an accepted quote, move through statuses, record payments."""

    serializer_class = OrderSerializer
    filterset_fields = ["company", "status", "number", "incoterm"]
    search_fields = ["number", "company__legal_name", "destination_port"]
    ordering_fields = ["created_at", "total", "expected_ship_date"]

    def get_queryset(self):
        return (
            orders_visible_to(self.request.user)
            .select_related("company")
            .prefetch_related("lines", "events", "payments")
        )

    @extend_schema(request=OrderCreateSerializer, responses=OrderSerializer)
    def create(self, request):
        payload = OrderCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        quote = get_object_or_404(
            quotes_visible_to(request.user), pk=payload.validated_data["quote"]
        )
        order = order_services.order_create_from_quote(quote=quote, user=request.user)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=order.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=OrderTransitionSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        order = self.get_object()
        payload = OrderTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        order_services.order_transition(
            order=order, to_status=data.pop("status"), user=request.user, **data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=PaymentCreateSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        order = self.get_object()
        payload = PaymentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        order_services.payment_record(order=order, user=request.user, **payload.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=order.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "date", "base_currency", "quote_currency", "rate"]
        validators = []


class ExchangeRateViewSet(viewsets.ModelViewSet):
    serializer_class = ExchangeRateSerializer
    permission_classes = [IsStaffUser, IsAdminOrReadOnly]
    queryset = ExchangeRate.objects.all()
    filterset_fields = ["base_currency", "quote_currency", "date"]
    ordering_fields = ["date"]

    def perform_create(self, serializer):
        from ..services.rates import exchange_rate_set

        serializer.instance = exchange_rate_set(**serializer.validated_data)

    def perform_update(self, serializer):
        from ..services.rates import exchange_rate_set

        serializer.instance = exchange_rate_set(
            instance=serializer.instance, **serializer.validated_data
        )
