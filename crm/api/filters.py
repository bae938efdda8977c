import django_filters

from ..models import Company, Contact, Deal, Interaction, PriceBreak, Product, Stage, Task


class CompanyFilter(django_filters.FilterSet):
    class Meta:
        model = Company
        fields = ["country", "tier", "owner", "team", "preferred_language", "default_currency"]


class ContactFilter(django_filters.FilterSet):
    email = django_filters.CharFilter(field_name="emails", lookup_expr="icontains")

    class Meta:
        model = Contact
        fields = ["company", "preferred_language"]


class ProductFilter(django_filters.FilterSet):
    class Meta:
        model = Product
        fields = ["category", "active"]


class PriceBreakFilter(django_filters.FilterSet):
    sku = django_filters.CharFilter(field_name="product__sku")

    class Meta:
        model = PriceBreak
        fields = ["price_list", "product"]


class StageFilter(django_filters.FilterSet):
    class Meta:
        model = Stage
        fields = ["pipeline", "is_won", "is_lost"]


class DealFilter(django_filters.FilterSet):
    amount_min = django_filters.NumberFilter(field_name="amount", lookup_expr="gte")
    amount_max = django_filters.NumberFilter(field_name="amount", lookup_expr="lte")

    class Meta:
        model = Deal
        fields = ["company", "contact", "owner", "pipeline", "stage", "currency", "source_channel"]


class InteractionFilter(django_filters.FilterSet):
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")

    class Meta:
        model = Interaction
        fields = [
            "company",
            "contact",
            "deal",
            "channel",
            "direction",
            "kind",
            "author",
            "sentiment",
        ]


class TaskFilter(django_filters.FilterSet):
    due_before = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lt")

    class Meta:
        model = Task
        fields = ["assignee", "done", "company", "contact", "deal"]
