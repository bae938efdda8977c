"""Shapes of the CRM's REST resources. Serializers validate input and shape output;
writes go through `crm.services`."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    ChannelIdentity,
    Company,
    Contact,
    Deal,
    Interaction,
    Pipeline,
    PriceBreak,
    PriceList,
    Product,
    Stage,
    StageChange,
    Task,
    Team,
    User,
)
from ..selectors.visibility import (
    companies_visible_to,
    contacts_visible_to,
    deals_visible_to,
    user_sees_everything,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@extend_schema_field(OpenApiTypes.INT)
class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose choices are what the requesting user may see; anything else
    reads as "does not exist", never as "forbidden"."""

    def __init__(self, *, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(self.context["request"].user)


def assignable_teams(user: User):
    return Team.objects.all() if user_sees_everything(user) else user.teams.all()


def assignable_users(user: User):
    if user_sees_everything(user):
        return User.objects.filter(is_active=True)
    team_ids = user.teams.values_list("id", flat=True)
    return User.objects.filter(Q(teams__in=team_ids) | Q(pk=user.pk), is_active=True).distinct()


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.username


class CompanySerializer(CountryFieldMixin, serializers.ModelSerializer):
    owner = VisibleRelatedField(selector=assignable_users, required=False, allow_null=True)
    team = VisibleRelatedField(selector=assignable_teams, required=False, allow_null=True)
    owner_detail = UserSummarySerializer(source="owner", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True, default=None)

    class Meta:
        model = Company
        fields = [
            "id",
            "legal_name",
            "country",
            "city",
            "website",
            "email_domain",
            "tier",
            "owner",
            "owner_detail",
            "team",
            "team_name",
            "default_currency",
            "preferred_language",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the model (full_clean in the service) with one message.
        validators = []


class ChannelIdentitySerializer(serializers.ModelSerializer):
    contact = VisibleRelatedField(selector=contacts_visible_to)

    class Meta:
        model = ChannelIdentity
        fields = ["id", "contact", "channel", "address", "verified", "created_at"]
        read_only_fields = ["created_at"]
        validators = []


class ContactSerializer(serializers.ModelSerializer):
    company = VisibleRelatedField(selector=companies_visible_to)
    identities = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "company",
            "name",
            "job_title",
            "emails",
            "phones",
            "preferred_language",
            "identities",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_identities(self, contact: Contact) -> list[dict]:
        return [
            {"id": identity.id, "channel": identity.channel, "address": identity.address}
            for identity in contact.identities.all()
        ]


class PriceBreakSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", read_only=True)
    currency = serializers.CharField(source="price_list.currency", read_only=True)

    class Meta:
        model = PriceBreak
        fields = ["id", "price_list", "product", "sku", "min_quantity", "unit_price", "currency"]


class ProductSerializer(serializers.ModelSerializer):
    """`name` and `description` are in the request's language (`?lang=` or
    Accept-Language); `translations` holds every language."""

    translations = serializers.SerializerMethodField()
    carton = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "category",
            "name",
            "description",
            "translations",
            "unit",
            "moq",
            "hs_code",
            "certifications",
            "dangerous_goods",
            "carton_units",
            "carton_gross_kg",
            "carton_cbm",
            "carton",
            "base_lead_days",
            "daily_capacity",
            "active",
        ]
        extra_kwargs = {
            "carton_units": {"write_only": True},
            "carton_gross_kg": {"write_only": True},
            "carton_cbm": {"write_only": True},
        }

    def get_translations(self, product: Product) -> dict[str, dict[str, str]]:
        return {
            code: {
                "name": getattr(product, f"name_{code.replace('-', '_')}") or "",
                "description": getattr(product, f"description_{code.replace('-', '_')}") or "",
            }
            for code in LANGUAGE_CODES
        }

    def get_carton(self, product: Product) -> dict[str, str | int]:
        return {
            "units": product.carton_units,
            "gross_kg": str(product.carton_gross_kg),
            "cbm": str(product.carton_cbm),
        }


class PriceListSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceList
        fields = ["id", "name", "currency", "basis", "is_default"]


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = [
            "id",
            "pipeline",
            "name",
            "order",
            "default_probability",
            "forecast_category",
            "is_won",
            "is_lost",
        ]


class PipelineSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Pipeline
        fields = ["id", "name", "is_default", "stages"]


class DealSerializer(serializers.ModelSerializer):
    company = VisibleRelatedField(selector=companies_visible_to)
    contact = VisibleRelatedField(selector=contacts_visible_to, required=False, allow_null=True)
    owner = VisibleRelatedField(selector=assignable_users, required=False, allow_null=True)
    pipeline = serializers.PrimaryKeyRelatedField(queryset=Pipeline.objects.all(), required=False)
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.all(), required=False)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    company_name = serializers.CharField(source="company.legal_name", read_only=True)
    probability = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(max_length=3, required=False)

    class Meta:
        model = Deal
        fields = [
            "id",
            "title",
            "company",
            "company_name",
            "contact",
            "owner",
            "pipeline",
            "stage",
            "stage_name",
            "amount",
            "currency",
            "expected_close_date",
            "probability_override",
            "probability",
            "source_channel",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = ["created_at", "updated_at", "closed_at"]

    def validate(self, attrs):
        if self.instance is not None and ("pipeline" in attrs or "stage" in attrs):
            raise serializers.ValidationError(
                {"stage": [_("Use the move action to change a deal's stage.")]}
            )
        return attrs


class DealMoveSerializer(serializers.Serializer):
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.select_related("pipeline"))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StageChangeSerializer(serializers.ModelSerializer):
    changed_by = UserSummarySerializer(read_only=True)
    from_stage_name = serializers.CharField(source="from_stage.name", read_only=True, default=None)
    to_stage_name = serializers.CharField(source="to_stage.name", read_only=True)

    class Meta:
        model = StageChange
        fields = [
            "id",
            "from_stage",
            "from_stage_name",
            "to_stage",
            "to_stage_name",
            "changed_by",
            "changed_at",
            "note",
        ]


class InteractionSerializer(serializers.ModelSerializer):
    author_user = UserSummarySerializer(read_only=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "company",
            "contact",
            "deal",
            "channel",
            "direction",
            "kind",
            "language",
            "text",
            "occurred_at",
            "intent",
            "sentiment",
            "author",
            "author_user",
        ]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    company = VisibleRelatedField(selector=companies_visible_to)
    contact = VisibleRelatedField(selector=contacts_visible_to, required=False, allow_null=True)
    deal = VisibleRelatedField(selector=deals_visible_to, required=False, allow_null=True)
    text = serializers.CharField(max_length=20000)


class TaskSerializer(serializers.ModelSerializer):
    assignee = VisibleRelatedField(selector=assignable_users, required=False, allow_null=True)
    company = VisibleRelatedField(selector=companies_visible_to, required=False, allow_null=True)
    contact = VisibleRelatedField(selector=contacts_visible_to, required=False, allow_null=True)
    deal = VisibleRelatedField(selector=deals_visible_to, required=False, allow_null=True)
    done = serializers.BooleanField(required=False)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "assignee",
            "due_at",
            "done",
            "done_at",
            "company",
            "contact",
            "deal",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["done_at", "created_by", "created_at"]
