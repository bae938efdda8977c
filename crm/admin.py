from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChannelIdentity,
    Company,
    Contact,
    ContactMerge,
    Deal,
    DocumentSequence,
    DutyRate,
    ExchangeRate,
    FreightRate,
    InsuranceRate,
    Interaction,
    LocalCharge,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Pipeline,
    PriceBreak,
    PriceList,
    Product,
    ProfileFact,
    Quote,
    QuoteComponent,
    QuoteLine,
    Stage,
    StageChange,
    Task,
    Team,
    Tier,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Portolan", {"fields": ("language", "timezone")}),)
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    filter_horizontal = ("members",)
    search_fields = ("name",)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "job_title", "emails", "phones", "preferred_language")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "country", "city", "tier", "owner", "team")
    list_filter = ("tier", "country", "team")
    search_fields = ("legal_name", "city", "email_domain")
    autocomplete_fields = ("owner",)
    inlines = [ContactInline]


class ChannelIdentityInline(admin.TabularInline):
    model = ChannelIdentity
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "job_title", "preferred_language")
    search_fields = ("name", "company__legal_name")
    autocomplete_fields = ("company",)
    inlines = [ChannelIdentityInline]


@admin.register(ChannelIdentity)
class ChannelIdentityAdmin(admin.ModelAdmin):
    list_display = ("channel", "address", "contact", "verified")
    list_filter = ("channel", "verified")
    search_fields = ("address", "contact__name")
    autocomplete_fields = ("contact",)


class PriceBreakInline(admin.TabularInline):
    model = PriceBreak
    extra = 0


@admin.register(Product)
class ProductAdmin(TranslationAdmin):
    list_display = ("sku", "name", "category", "moq", "unit", "active")
    list_filter = ("category", "active")
    search_fields = ("sku", "name")
    inlines = [PriceBreakInline]


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ("name", "currency", "basis", "is_default")


@admin.register(PriceBreak)
class PriceBreakAdmin(SimpleHistoryAdmin):
    list_display = ("product", "price_list", "min_quantity", "unit_price")
    list_filter = ("price_list",)
    search_fields = ("product__sku",)


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ("code", "discount_percent")


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default")
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "pipeline", "order", "default_probability", "is_won", "is_lost")
    list_filter = ("pipeline",)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ("from_stage", "to_stage", "changed_by", "changed_at", "note")
    can_delete = False


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "company",
        "stage",
        "amount",
        "currency",
        "owner",
        "expected_close_date",
    )
    list_filter = ("pipeline", "stage", "source_channel")
    search_fields = ("title", "company__legal_name")
    autocomplete_fields = ("company", "contact", "owner")
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("deal", "from_stage", "to_stage", "changed_by", "changed_at")
    list_filter = ("to_stage",)


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "company", "kind", "direction", "channel", "author", "language")
    list_filter = ("kind", "direction", "channel", "author", "language")
    search_fields = ("text", "company__legal_name")
    autocomplete_fields = ("company", "contact", "deal")
    date_hierarchy = "occurred_at"


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "assignee", "due_at", "done", "company")
    list_filter = ("done",)
    search_fields = ("title", "company__legal_name")
    autocomplete_fields = ("company", "contact", "deal", "assignee")


@admin.register(ProfileFact)
class ProfileFactAdmin(admin.ModelAdmin):
    list_display = ("kind", "company", "contact", "confidence", "last_seen_at")
    list_filter = ("kind",)
    autocomplete_fields = ("company", "contact")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("date", "base_currency", "quote_currency", "rate")
    list_filter = ("base_currency", "quote_currency")
    date_hierarchy = "date"


@admin.register(FreightRate)
class FreightRateAdmin(admin.ModelAdmin):
    list_display = ("destination_country", "basis", "amount")
    list_filter = ("basis",)


@admin.register(InsuranceRate)
class InsuranceRateAdmin(admin.ModelAdmin):
    list_display = ("destination_country", "percent")


@admin.register(LocalCharge)
class LocalChargeAdmin(admin.ModelAdmin):
    list_display = ("side", "country", "per_shipment", "per_cbm")
    list_filter = ("side",)


@admin.register(DutyRate)
class DutyRateAdmin(admin.ModelAdmin):
    list_display = ("country", "hs_prefix", "percent")
    list_filter = ("country",)


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    readonly_fields = (
        "position",
        "product",
        "sku",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "line_total",
        "lead_time_days",
        "cartons",
    )
    can_delete = False


class QuoteComponentInline(admin.TabularInline):
    model = QuoteComponent
    extra = 0
    readonly_fields = ("position", "kind", "amount", "detail")
    can_delete = False


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "revision",
        "company",
        "status",
        "total",
        "currency",
        "incoterm",
        "issued_on",
        "valid_until",
    )
    list_filter = ("status", "incoterm", "currency")
    search_fields = ("number", "company__legal_name")
    autocomplete_fields = ("company", "contact", "deal")
    inlines = [QuoteLineInline, QuoteComponentInline]
    # Prices come from the pricing engine only: no hand-edited totals.
    readonly_fields = (
        "number",
        "revision",
        "supersedes",
        "exchange_rate",
        "subtotal",
        "total",
        "cbm",
        "gross_kg",
        "lead_time_days",
        "status",
        "sent_at",
        "decided_at",
        "decided_by",
        "decided_via",
    )


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = (
        "position",
        "product",
        "sku",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "line_total",
    )
    can_delete = False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    readonly_fields = (
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
    )
    can_delete = False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ("kind", "amount", "currency", "received_on", "reference", "recorded_by")
    can_delete = False


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "company",
        "status",
        "total",
        "currency",
        "incoterm",
        "destination_port",
    )
    list_filter = ("status", "incoterm")
    search_fields = ("number", "company__legal_name")
    autocomplete_fields = ("company", "contact", "deal")
    inlines = [OrderLineInline, OrderEventInline, PaymentInline]
    # Status moves go through the order page or the API, which check the transitions.
    readonly_fields = ("number", "quote", "status", "subtotal", "total")


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    list_display = ("kind", "year", "last_number")
    readonly_fields = ("kind", "year", "last_number")


@admin.register(ContactMerge)
class ContactMergeAdmin(admin.ModelAdmin):
    list_display = ("merged_at", "source_name", "source_company", "target", "merged_by")
    readonly_fields = (
        "target",
        "source_id_was",
        "source_name",
        "source_company",
        "moved",
        "merged_by",
        "merged_at",
    )
