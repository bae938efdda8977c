"""Forms of the staff pages. They validate and show errors; saving is the services' job."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Company, Role, Team, User

COMMON_CURRENCIES = ["USD", "EUR", "CNY", "GBP", "JPY", "AED", "SAR", "RUB", "BRL", "PEN", "SGD"]


def form_add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a ValidationError raised by a service on the form: on the field it names
    when the form has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, messages)


def _form_field(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class CompanyForm(forms.ModelForm):
    """A company's own fields. Owners and teams offered are those the user works with."""

    class Meta:
        model = Company
        formfield_callback = _form_field
        fields = [
            "legal_name",
            "country",
            "city",
            "website",
            "email_domain",
            "tier",
            "owner",
            "team",
            "default_currency",
            "preferred_language",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "default_currency": forms.TextInput(
                attrs={
                    "list": "currency-codes",
                    "maxlength": 3,
                    "size": 5,
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                }
            ),
        }
        help_texts = {
            "default_currency": _("Three-letter ISO 4217 code, e.g. USD, EUR, CNY."),
            "email_domain": _("Used to match incoming email to this company, e.g. example.com."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        current_owner = self.instance.owner_id
        if user.role == Role.ADMIN:
            teams = Team.objects.all()
            owners = User.objects.filter(is_active=True)
        else:
            teams = Team.objects.filter(members=user)
            owners = User.objects.filter(
                Q(is_active=True, teams__in=teams) | Q(pk=user.pk) | Q(pk=current_owner)
            ).distinct()
        self.fields["team"].queryset = teams
        self.fields["owner"].queryset = owners.order_by("username")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["owner"].empty_label = _("Me")
        self.fields["owner"].help_text = _("Left empty, the company is yours.")

    def clean_default_currency(self) -> str:
        return (self.cleaned_data.get("default_currency") or "").strip().upper()

    def clean_email_domain(self) -> str:
        return (self.cleaned_data.get("email_domain") or "").strip().lower().lstrip("@")

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("legal_name"), cleaned.get("country")
        if name and country:
            clash = Company.objects.filter(legal_name__iexact=name, country=country)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                # Said here in words; the database constraint would only name itself.
                self.add_error(
                    "legal_name", _("A company with this name already exists in this country.")
                )
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("A note cannot be empty.")},
    )


class CompanyFilterForm(forms.Form):
    """The search box and filters over the companies list; bad values are ignored."""

    SORTS = ["name", "-name", "country", "-country", "tier", "-tier"]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])

    def __init__(self, *args, countries, tiers, owners, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["country"].choices = everyone + list(countries)
        self.fields["tier"].choices = everyone + list(tiers)
        self.fields["owner"].choices = everyone + [(str(pk), name) for pk, name in owners]

    def value(self, name: str) -> str:
        """The cleaned value, or '' when it was missing or not one of the choices."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
