"""REST API entry points: validate, call one service or selector, shape the output."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from ..models import PriceBreak, PriceList, Product, Role, Stage, StageChange
from ..selectors.visibility import (
    companies_visible_to,
    contacts_visible_to,
    deals_visible_to,
    interactions_visible_to,
    tasks_visible_to,
)
from ..services import customers as customer_services
from ..services import deals as deal_services
from ..services import timeline as timeline_services
from . import filters, serializers
from .permissions import IsStaffUser

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class IsAdminOrReadOnly(BasePermission):
    """Catalog and pipeline setup: every staff member reads, administrators write."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or request.user.role == Role.ADMIN


class IsManagerToDelete(BasePermission):
    """Deleting a customer and everything under it is for managers and administrators.
    Checked on the object, so a company the user may not see stays a 404."""

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method != "DELETE" or request.user.role in (Role.ADMIN, Role.MANAGER)


class ServiceModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose writes go through the service functions named below."""

    create_service = None
    update_service = None
    delete_service = None
    service_argument = ""

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        type(self).update_service(
            **{self.service_argument: serializer.instance, "data": serializer.validated_data}
        )

    def perform_destroy(self, instance):
        type(self).delete_service(**{self.service_argument: instance})


class AuthTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    permission_classes = []


class CompanyViewSet(ServiceModelViewSet):
    serializer_class = serializers.CompanySerializer
    permission_classes = [IsStaffUser, IsManagerToDelete]
    filterset_class = filters.CompanyFilter
    search_fields = ["legal_name", "city", "email_domain"]
    ordering_fields = ["legal_name", "country", "tier", "created_at", "updated_at"]
    create_service = customer_services.company_create
    update_service = customer_services.company_update
    delete_service = customer_services.company_delete
    service_argument = "company"

    def get_queryset(self):
        return companies_visible_to(self.request.user).select_related("owner", "team")


class ContactViewSet(ServiceModelViewSet):
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilter
    search_fields = ["name", "job_title", "company__legal_name"]
    ordering_fields = ["name", "created_at", "updated_at"]
    update_service = customer_services.contact_update
    delete_service = customer_services.contact_delete
    service_argument = "contact"

    def get_queryset(self):
        return contacts_visible_to(self.request.user).prefetch_related("identities")

    def perform_create(self, serializer):
        serializer.instance = customer_services.contact_create(**serializer.validated_data)


class ChannelIdentityViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = serializers.ChannelIdentitySerializer
    filterset_fields = ["contact", "channel", "verified"]
    search_fields = ["address"]
    ordering_fields = ["channel", "address", "created_at"]

    def get_queryset(self):
        return serializers.ChannelIdentity.objects.filter(
            contact__in=contacts_visible_to(self.request.user)
        )

    def perform_create(self, serializer):
        serializer.instance = customer_services.channel_identity_create(**serializer.validated_data)

    def perform_destroy(self, instance):
        customer_services.channel_identity_delete(identity=instance)


LANG_PARAMETER = OpenApiParameter(
    "lang", str, enum=LANGUAGE_CODES, description="Language of `name` and `description`."
)


@extend_schema(parameters=[LANG_PARAMETER])
class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.ProductSerializer
    permission_classes = [IsStaffUser, IsAdminOrReadOnly]
    filterset_class = filters.ProductFilter
    search_fields = ["sku", "name", *[f"name_{code.replace('-', '_')}" for code in LANGUAGE_CODES]]
    ordering_fields = ["sku", "category", "moq"]
    queryset = Product.objects.all()

    def dispatch(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        if language and language in LANGUAGE_CODES:
            with translation.override(language):
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = request.query_params.get("lang")
        if language and language not in LANGUAGE_CODES:
            raise ValidationError(
                {
                    "lang": [
                        _("Unknown language “%(lang)s”; use one of: %(codes)s.")
                        % {"lang": language, "codes": ", ".join(LANGUAGE_CODES)}
                    ]
                }
            )


class PriceListViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.PriceListSerializer
    permission_classes = [IsStaffUser, IsAdminOrReadOnly]
    queryset = PriceList.objects.all()
    search_fields = ["name"]
    ordering_fields = ["name", "currency"]


class PriceBreakViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.PriceBreakSerializer
    permission_classes = [IsStaffUser, IsAdminOrReadOnly]
    queryset = PriceBreak.objects.select_related("product", "price_list")
    filterset_class = filters.PriceBreakFilter
    ordering_fields = ["min_quantity", "unit_price"]


class PipelineViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.PipelineSerializer
    permission_classes = [IsStaffUser, IsAdminOrReadOnly]
    queryset = serializers.Pipeline.objects.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("order"))
    )
    search_fields = ["name"]


class StageViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.StageSerializer
    permission_classes = [IsStaffUser, IsAdminOrReadOnly]
    queryset = Stage.objects.all()
    filterset_class = filters.StageFilter
    ordering_fields = ["order"]


class DealViewSet(ServiceModelViewSet):
    serializer_class = serializers.DealSerializer
    filterset_class = filters.DealFilter
    search_fields = ["title", "company__legal_name"]
    ordering_fields = ["amount", "expected_close_date", "created_at", "updated_at"]
    create_service = deal_services.deal_create
    update_service = deal_services.deal_update
    delete_service = deal_services.deal_delete
    service_argument = "deal"

    def get_queryset(self):
        return deals_visible_to(self.request.user).select_related("stage", "company")

    @extend_schema(request=serializers.DealMoveSerializer, responses=serializers.DealSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the deal to another stage of its pipeline; the move is kept in its history."""
        deal = self.get_object()
        payload = serializers.DealMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        deal = deal_services.deal_move_stage(
            deal=deal,
            stage=payload.validated_data["stage"],
            user=request.user,
            note=payload.validated_data["note"],
        )
        deal = self.get_queryset().get(pk=deal.pk)
        return Response(self.get_serializer(deal).data)

    @extend_schema(responses=serializers.StageChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every stage the deal has been in, oldest first."""
        deal = self.get_object()
        changes = StageChange.objects.filter(deal=deal).select_related(
            "from_stage", "to_stage", "changed_by"
        )
        return Response(serializers.StageChangeSerializer(changes, many=True).data)


class InteractionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The customer timeline (read); staff add notes with POST."""

    serializer_class = serializers.InteractionSerializer
    filterset_class = filters.InteractionFilter
    search_fields = ["text"]
    ordering_fields = ["occurred_at"]

    def get_queryset(self):
        return interactions_visible_to(self.request.user).select_related("author_user")

    @extend_schema(
        request=serializers.NoteCreateSerializer, responses=serializers.InteractionSerializer
    )
    def create(self, request):
        payload = serializers.NoteCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        note = timeline_services.interaction_note_create(
            user=request.user, **payload.validated_data
        )
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)


class TaskViewSet(ServiceModelViewSet):
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_at", "created_at"]
    create_service = timeline_services.task_create
    update_service = timeline_services.task_update
    delete_service = timeline_services.task_delete
    service_argument = "task"

    def get_queryset(self):
        return tasks_visible_to(self.request.user)
