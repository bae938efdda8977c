"""Staff pages: thin views that read through the visibility selectors, write through
the services, and answer htmx requests with the partial they swap."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Sum, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_countries.fields import Country
from django_htmx.http import reswap, retarget

from ..models import (
    Company,
    Pipeline,
    PriceBreak,
    PriceList,
    Product,
    ProductCategory,
    QuoteStatus,
    Stage,
    TierCode,
    User,
)
from ..selectors.visibility import (
    companies_visible_to,
    company_is_visible,
    deals_visible_to,
    interactions_visible_to,
    tasks_visible_to,
)
from ..services import customers as customer_services
from ..services import deals as deal_services
from ..services import timeline as timeline_services
from ..templatetags.portolan import person
from .access import MANAGING_ROLES, require_managing_role, staff_view
from .board import board_columns
from .forms import (
    COMMON_CURRENCIES,
    CompanyFilterForm,
    CompanyForm,
    NoteForm,
    form_add_service_errors,
)
from .history import price_history

COMPANIES_PER_PAGE = 25
PRODUCTS_PER_PAGE = 50
TIMELINE_LENGTH = 50
DASHBOARD_TASKS = 10
DASHBOARD_INTERACTIONS = 8
COMPANY_DOCUMENTS = 10

TIER_RANK = Case(
    *[When(tier=code, then=Value(rank)) for rank, code in enumerate(TierCode.values)],
    output_field=IntegerField(),
)
COMPANY_ORDERINGS = {
    "name": ("legal_name", "id"),
    "-name": ("-legal_name", "-id"),
    "country": ("country", "legal_name", "id"),
    "-country": ("-country", "legal_name", "id"),
    "tier": ("tier_rank", "legal_name", "id"),
    "-tier": ("-tier_rank", "legal_name", "id"),
}


def _wants_partial(request: HttpRequest) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- Dashboard ---------------------------------------------------------------------


@staff_view
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    open_deals = deals_visible_to(user).filter(stage__is_won=False, stage__is_lost=False)
    open_totals = list(
        open_deals.values("currency")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("currency")
    )
    my_tasks = tasks_visible_to(user).filter(assignee=user, done=False)
    tasks = my_tasks.select_related("company").order_by(F("due_at").asc(nulls_last=True), "id")
    recent = interactions_visible_to(user).select_related("company", "author_user")[
        :DASHBOARD_INTERACTIONS
    ]
    return render(
        request,
        "crm/dashboard.html",
        {
            "company_count": companies_visible_to(user).count(),
            "open_deal_count": sum(row["count"] for row in open_totals),
            "open_totals": open_totals,
            "tasks": tasks[:DASHBOARD_TASKS],
            "task_count": my_tasks.count(),
            "recent_interactions": recent,
            "now": timezone.now(),
        },
    )


# --- Companies ---------------------------------------------------------------------


@staff_view
@vary_on_headers("HX-Request")
def company_list(request: HttpRequest) -> HttpResponse:
    visible = companies_visible_to(request.user)
    countries = sorted(
        (
            (code, Country(code).name)
            for code in visible.order_by().values_list("country", flat=True).distinct()
        ),
        key=lambda pair: str(pair[1]),
    )
    owners = [
        (owner.pk, person(owner))
        for owner in User.objects.filter(pk__in=visible.values("owner")).order_by("username")
    ]
    filters = CompanyFilterForm(
        request.GET, countries=countries, tiers=TierCode.choices, owners=owners
    )
    companies = visible.select_related("owner", "team").annotate(tier_rank=TIER_RANK)
    query = filters.value("q").strip()
    if query:
        companies = companies.filter(
            Q(legal_name__icontains=query)
            | Q(city__icontains=query)
            | Q(email_domain__icontains=query)
        )
    for name in ("country", "tier"):
        if filters.value(name):
            companies = companies.filter(**{name: filters.value(name)})
    if filters.value("owner"):
        companies = companies.filter(owner_id=filters.value("owner"))
    sort = filters.value("sort") or "name"
    companies = companies.order_by(*COMPANY_ORDERINGS[sort])

    page = Paginator(companies, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "sort": sort,
        "query": query,
        "filtered": bool(query or any(filters.value(n) for n in ("country", "tier", "owner"))),
        "partial": _wants_partial(request),
    }
    template = (
        "crm/partials/company_results.html" if context["partial"] else "crm/company_list.html"
    )
    return render(request, template, context)


def _company_page_context(request: HttpRequest, company: Company, note_form: NoteForm) -> dict:
    timeline = company.interactions.select_related("author_user", "contact")
    return {
        "company": company,
        "contacts": company.contacts.prefetch_related("identities"),
        "deals": company.deals.select_related("stage", "owner").order_by(
            "stage__is_won", "stage__is_lost", "-updated_at"
        ),
        "timeline": timeline[:TIMELINE_LENGTH],
        "timeline_total": timeline.count(),
        "timeline_length": TIMELINE_LENGTH,
        "tasks": company.tasks.filter(done=False)
        .select_related("assignee")
        .order_by(F("due_at").asc(nulls_last=True), "id"),
        "note_form": note_form,
        "quotes": company.quotes.exclude(status=QuoteStatus.SUPERSEDED).order_by(
            "-issued_on", "-number", "-revision"
        )[:COMPANY_DOCUMENTS],
        "orders": company.orders.order_by("-created_at", "-number")[:COMPANY_DOCUMENTS],
        "can_delete": request.user.role in MANAGING_ROLES,
        "now": timezone.now(),
    }


def _visible_company(request: HttpRequest, pk: int) -> Company:
    return get_object_or_404(
        companies_visible_to(request.user).select_related("owner", "team"), pk=pk
    )


@staff_view
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = _visible_company(request, pk)
    return render(
        request,
        "crm/company_detail.html",
        _company_page_context(request, company, NoteForm(auto_id="note_%s")),
    )


@staff_view
@require_POST
def company_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note to the timeline. htmx gets the cleared form plus the new entry
    (swapped in at the top of the timeline); without htmx the page reloads."""
    company = _visible_company(request, pk)
    form = NoteForm(request.POST, auto_id="note_%s")
    note = None
    if form.is_valid():
        try:
            note = timeline_services.interaction_note_create(
                user=request.user, company=company, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
    if _wants_partial(request):
        context = {
            "company": company,
            "note_form": form if note is None else NoteForm(auto_id="note_%s"),
            "new_note": note,
        }
        return render(request, "crm/partials/note_form.html", context, status=200 if note else 422)
    if note is not None:
        messages.success(request, _("Note added."))
        return redirect("crm:company_detail", pk=company.pk)
    return render(
        request,
        "crm/company_detail.html",
        _company_page_context(request, company, form),
        status=422,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            company = customer_services.company_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Company “%(name)s” created.") % {"name": company})
            return _after_company_save(request, company)
    return render(
        request,
        "crm/company_form.html",
        {"form": form, "company": None, "currencies": COMMON_CURRENCIES},
    )


@staff_view
@require_http_methods(["GET", "POST"])
def company_update(request: HttpRequest, pk: int) -> HttpResponse:
    company = _visible_company(request, pk)
    # The form gets its own copy: a ModelForm writes cleaned values onto its instance,
    # and the service must see what changed against the stored company.
    form = CompanyForm(
        request.POST or None, instance=Company.objects.get(pk=company.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            customer_services.company_update(company=company, data=form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Company “%(name)s” saved.") % {"name": company})
            return _after_company_save(request, company)
    return render(
        request,
        "crm/company_form.html",
        {"form": form, "company": company, "currencies": COMMON_CURRENCIES},
    )


def _after_company_save(request: HttpRequest, company: Company) -> HttpResponse:
    if company_is_visible(request.user, company):
        return redirect("crm:company_detail", pk=company.pk)
    messages.warning(
        request,
        _("With the owner and team chosen, you no longer see “%(name)s”.") % {"name": company},
    )
    return redirect("crm:company_list")


@staff_view
@require_http_methods(["GET", "POST"])
def company_delete(request: HttpRequest, pk: int) -> HttpResponse:
    company = _visible_company(request, pk)
    require_managing_role(request.user)
    if request.method == "POST":
        name = str(company)
        try:
            customer_services.company_delete(company=company)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("crm:company_detail", pk=company.pk)
        messages.success(request, _("Company “%(name)s” deleted.") % {"name": name})
        return redirect("crm:company_list")
    counts = {
        "contacts": company.contacts.count(),
        "deals": company.deals.count(),
        "interactions": company.interactions.count(),
        "tasks": company.tasks.count(),
    }
    return render(request, "crm/company_confirm_delete.html", {"company": company, **counts})


# --- Pipeline ----------------------------------------------------------------------


def _board_context(request: HttpRequest, pipeline: Pipeline | None) -> dict:
    return {
        "pipeline": pipeline,
        "pipelines": Pipeline.objects.order_by("-is_default", "name"),
        "columns": board_columns(user=request.user, pipeline=pipeline) if pipeline else [],
    }


@staff_view
def pipeline_board(request: HttpRequest) -> HttpResponse:
    requested = request.GET.get("pipeline", "")
    if requested.isdigit():
        pipeline = get_object_or_404(Pipeline, pk=requested)
    else:
        pipeline = Pipeline.objects.filter(is_default=True).first()
    return render(request, "crm/pipeline_board.html", _board_context(request, pipeline))


@staff_view
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a deal to another stage of its pipeline; answer htmx with the fresh board."""
    deal = get_object_or_404(deals_visible_to(request.user).select_related("pipeline"), pk=pk)
    stage_id = request.POST.get("stage", "")
    stage = Stage.objects.filter(pk=stage_id).first() if stage_id.isdigit() else None
    error = _("Choose a stage to move the deal to.") if stage is None else None
    if stage is not None:
        try:
            deal = deal_services.deal_move_stage(deal=deal, stage=stage, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)

    if error:
        if _wants_partial(request):
            response = render(
                request, "crm/partials/alert.html", {"message": error, "level": "error"}, status=400
            )
            return reswap(retarget(response, "#board-alert"), "innerHTML")
        context = _board_context(request, deal.pipeline)
        context["board_error"] = error
        return render(request, "crm/pipeline_board.html", context, status=400)

    moved = _("“%(deal)s” is now in %(stage)s.") % {"deal": deal, "stage": deal.stage}
    if _wants_partial(request):
        context = _board_context(request, deal.pipeline)
        context["board_notice"] = moved
        return render(request, "crm/partials/board.html", context)
    messages.success(request, moved)
    next_url = _safe_next(request)
    if next_url:
        return redirect(next_url)
    return redirect(f"{reverse('crm:pipeline_board')}?pipeline={deal.pipeline_id}")


@staff_view
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_object_or_404(
        deals_visible_to(request.user).select_related(
            "company", "contact", "owner", "pipeline", "stage"
        ),
        pk=pk,
    )
    return render(
        request,
        "crm/deal_detail.html",
        {
            "deal": deal,
            "stages": deal.pipeline.stages.order_by("order"),
            "history": deal.stage_changes.select_related(
                "from_stage", "to_stage", "changed_by"
            ).order_by("-changed_at", "-id"),
            "interactions": deal.interactions.select_related("author_user", "contact")[
                :TIMELINE_LENGTH
            ],
            "tasks": deal.tasks.filter(done=False).select_related("assignee"),
            "now": timezone.now(),
        },
    )


# --- Products ----------------------------------------------------------------------


def _default_breaks() -> Prefetch:
    return Prefetch(
        "price_breaks",
        queryset=PriceBreak.objects.filter(price_list__is_default=True).order_by("min_quantity"),
        to_attr="default_breaks",
    )


@staff_view
@vary_on_headers("HX-Request")
def product_list(request: HttpRequest) -> HttpResponse:
    products = Product.objects.prefetch_related(_default_breaks()).order_by("sku")
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if query:
        products = products.filter(Q(sku__icontains=query) | Q(name__icontains=query))
    if category in ProductCategory.values:
        products = products.filter(category=category)
    else:
        category = ""
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "category": category,
        "categories": ProductCategory.choices,
        "price_list": PriceList.objects.filter(is_default=True).first(),
    }
    template = "crm/partials/product_results.html" if _wants_partial(request) else None
    return render(request, template or "crm/product_list.html", context)


@staff_view
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.prefetch_related(_default_breaks()), pk=pk)
    translations = []
    for code, _name in settings.LANGUAGES:
        suffix = code.replace("-", "_")
        info = get_language_info(code)
        translations.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "dir": "rtl" if info["bidi"] else "ltr",
                "name": getattr(product, f"name_{suffix}", "") or "",
                "description": getattr(product, f"description_{suffix}", "") or "",
            }
        )
    return render(
        request,
        "crm/product_detail.html",
        {
            "product": product,
            "translations": translations,
            "price_list": PriceList.objects.filter(is_default=True).first(),
            "price_history": price_history(product),
        },
    )
