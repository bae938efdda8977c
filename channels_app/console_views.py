"""The live console: reps read buyer conversations and take them over, hand them back,
transfer them and reply. Thin views over the visibility selectors and the handoff
services; htmx requests get the fragments they swap, everything works without it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from assistant.models import AssistantTurn
from crm.models import Channel, Deal, Sentiment, TierCode, User
from crm.selectors.visibility import users_who_see
from crm.services import timeline as timeline_services
from crm.templatetags.portolan import person
from crm.web.access import staff_view

from .canned import canned_response_text
from .models import (
    CannedResponse,
    Conversation,
    ConversationStatus,
    EscalationRuleKind,
    Message,
    Sender,
)
from .selectors import conversations_visible_to
from .services import handoff

CONVERSATIONS_PER_PAGE = 50
EXCERPT_CHARS = 120
OPEN_STATUSES = (ConversationStatus.BOT, ConversationStatus.HUMAN)


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All open"))]
        + [(status.value, status.label) for status in OPEN_STATUSES],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", gettext_lazy("All channels")), *Channel.choices],
    )
    mine = forms.BooleanField(label=gettext_lazy("Assigned to me"), required=False)

    def value(self, name: str):
        if self.is_valid():
            return self.cleaned_data.get(name)
        return self.fields[name].initial or ("" if name != "mine" else False)


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _open_conversations(user: User) -> QuerySet[Conversation]:
    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-sequence")
    sentiment = (
        AssistantTurn.objects.filter(conversation_id=OuterRef("pk"))
        .exclude(sentiment="")
        .order_by("-created_at", "-id")
    )
    return (
        conversations_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("contact__company", "assigned_to")
        .annotate(
            last_text=Subquery(latest.values("text")[:1]),
            last_sender=Subquery(latest.values("sender")[:1]),
            sentiment=Subquery(sentiment.values("sentiment")[:1]),
            escalated=Case(
                When(status=ConversationStatus.HUMAN, escalated_at__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def waiting_since(conversation: Conversation, last_sender: str | None):
    """When the buyer's last message came in, if nobody has answered it since (a reply
    still in the outbox counts as an answer)."""
    inbound, outbound = conversation.last_inbound_at, conversation.last_outbound_at
    if last_sender is not None and last_sender != Sender.BUYER:
        return None
    if inbound and (outbound is None or outbound < inbound):
        return inbound
    return None


@staff_view
@require_GET
@vary_on_headers("HX-Request")
def inbox(request: HttpRequest) -> HttpResponse:
    filters = InboxFilterForm(request.GET)
    conversations = _open_conversations(request.user)
    query = (filters.value("q") or "").strip()
    if query:
        conversations = conversations.filter(
            Q(contact__name__icontains=query) | Q(contact__company__legal_name__icontains=query)
        )
    if filters.value("status"):
        conversations = conversations.filter(status=filters.value("status"))
    if filters.value("channel"):
        conversations = conversations.filter(channel=filters.value("channel"))
    if filters.value("mine"):
        conversations = conversations.filter(assigned_to=request.user)
    conversations = conversations.order_by(
        F("escalated").desc(), F("last_inbound_at").desc(nulls_last=True), "-updated_at", "-id"
    )
    page = Paginator(conversations, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    sentiments = dict(Sentiment.choices)
    rows = []
    for conversation in page.object_list:
        since = waiting_since(conversation, conversation.last_sender)
        rows.append(
            {
                "conversation": conversation,
                "excerpt": (conversation.last_text or "")[:EXCERPT_CHARS],
                "truncated": len(conversation.last_text or "") > EXCERPT_CHARS,
                "sentiment": conversation.sentiment or "",
                "sentiment_label": sentiments.get(conversation.sentiment, ""),
                "waiting": timesince(since, now) if since else "",
                "waiting_since": since,
            }
        )
    filtered = bool(query or any(filters.value(name) for name in ("status", "channel", "mine")))
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "filtered": filtered,
        "partial": _wants_partial(request),
    }
    template = (
        "channels_app/partials/inbox_results.html"
        if context["partial"]
        else "channels_app/inbox.html"
    )
    return render(request, template, context)


# --- One conversation --------------------------------------------------------------


def _visible_conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(
        conversations_visible_to(request.user).select_related(
            "contact__company__owner", "assigned_to"
        ),
        pk=pk,
    )


def assignable_users(conversation: Conversation) -> list[User]:
    """Active staff with a CRM role who may see the conversation's customer."""
    return list(
        users_who_see(conversation.contact.company).order_by("first_name", "last_name", "username")
    )


def _summary(conversation: Conversation) -> dict | None:
    """The handoff summary with its codes worded in the viewer's language."""
    summary = conversation.handoff_summary or {}
    if not summary:
        return None
    reason_labels = dict(EscalationRuleKind.choices)
    sentiments = dict(Sentiment.choices)
    request = summary.get("request") or {}
    slots = request.get("slots") if isinstance(request, dict) else None
    slots = slots if isinstance(slots, dict) else {}
    items = request.get("items") if isinstance(request, dict) else None
    return {
        "reasons": [
            {
                "label": reason_labels.get(reason.get("code"), reason.get("code", "")),
                "detail": reason.get("detail", ""),
            }
            for reason in (summary.get("reasons") or conversation.escalation_reasons or [])
            if isinstance(reason, dict)
        ],
        "intent": (summary.get("intent") or "").replace("_", " "),
        "items": [item for item in (items or []) if isinstance(item, dict)],
        "slots": [
            (key.replace("_", " "), value)
            for key, value in slots.items()
            if value not in (None, "", [], {})
        ],
        "sentiment_trend": [
            {"code": code, "label": sentiments.get(code, code)}
            for code in summary.get("sentiment_trend") or []
            if code
        ],
        "answered": [text for text in summary.get("answered") or [] if text],
        "orders": summary.get("orders"),
        "prospect": summary.get("prospect"),
    }


def _log_context(conversation: Conversation) -> dict:
    return {
        "conversation": conversation,
        "log": conversation.messages.select_related("sender_user").order_by("sequence"),
        "outbound_senders": (Sender.ASSISTANT, Sender.STAFF),
    }


def _console_context(request: HttpRequest, conversation: Conversation, **extra) -> dict:
    from .services.translation import translations_for

    company = conversation.contact.company
    log = list(_log_context(conversation)["log"])
    translations = translations_for(
        log, language=request.LANGUAGE_CODE, conversation_language=conversation.language
    )
    for message in log:
        message.translation = translations.get(message.pk, "")
    last = conversation.messages.order_by("-sequence").values_list("sender", flat=True).first()
    since = waiting_since(conversation, last)
    return {
        **_log_context(conversation),
        "log": log,
        "company": company,
        "contact": conversation.contact,
        "tier_label": dict(TierCode.choices).get(company.tier, company.tier),
        "facts": company.facts.order_by("kind", "-id")[:20],
        "deals": Deal.objects.filter(company=company, stage__is_won=False, stage__is_lost=False)
        .select_related("stage")
        .order_by("-updated_at")[:3],
        "summary": _summary(conversation),
        "assignees": assignable_users(conversation),
        "waiting": timesince(since) if since else "",
        "reply_text": "",
        "note_text": "",
        "canned_responses": CannedResponse.objects.only("slug", "title"),
        "is_open": conversation.status != ConversationStatus.CLOSED,
        **_drafts_context(conversation),
        **extra,
    }


@staff_view
@require_GET
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _visible_conversation(request, pk)
    return render(
        request,
        "channels_app/inbox_conversation.html",
        _console_context(request, conversation),
    )


@staff_view
@require_GET
def conversation_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """The message log (with the status and actions out of band) for live refreshes."""
    conversation = _visible_conversation(request, pk)
    return render(
        request,
        "channels_app/partials/conversation_live.html",
        _console_context(request, conversation),
    )


def _answer(
    request: HttpRequest,
    pk: int,
    *,
    done: str | None = None,
    error: ValidationError | None = None,
    **extra,
) -> HttpResponse:
    """After an action: a redirect (or the fresh fragments for htmx) on success; the page
    with the error message and status 400 on failure."""
    if error is not None:
        messages.error(request, " ".join(error.messages))
    elif done:
        messages.success(request, done)
    if error is None and not _wants_partial(request):
        return redirect("console:inbox_conversation", pk=pk)
    conversation = _visible_conversation(request, pk)
    context = _console_context(request, conversation, partial=True, **extra)
    template = (
        "channels_app/partials/console_update.html"
        if _wants_partial(request)
        else "channels_app/inbox_conversation.html"
    )
    return render(request, template, context, status=400 if error else 200)


@staff_view
@require_POST
def conversation_take_over(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _visible_conversation(request, pk)
    try:
        handoff.conversation_take_over(conversation=conversation, user=request.user)
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(request, pk, done=_("You have this conversation now."))


@staff_view
@require_POST
def conversation_hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _visible_conversation(request, pk)
    try:
        handoff.conversation_hand_back(conversation=conversation, user=request.user)
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(request, pk, done=_("The assistant answers this conversation again."))


@staff_view
@require_POST
def conversation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    from .services.followup import conversation_resolve as resolve

    conversation = _visible_conversation(request, pk)
    try:
        resolve(conversation=conversation, user=request.user)
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(request, pk, done=_("The conversation is resolved."))


@staff_view
@require_POST
def conversation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _visible_conversation(request, pk)
    assignee_id = request.POST.get("assignee", "")
    assignee = User.objects.filter(pk=assignee_id).first() if assignee_id.isdigit() else None
    try:
        if assignee is None:
            raise ValidationError(_("Choose who should have the conversation."))
        handoff.conversation_assign(conversation=conversation, assignee=assignee, user=request.user)
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(
        request, pk, done=_("%(name)s has this conversation now.") % {"name": person(assignee)}
    )


@staff_view
@require_POST
def conversation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _visible_conversation(request, pk)
    text = request.POST.get("text", "")
    try:
        handoff.staff_reply(conversation=conversation, user=request.user, text=text)
    except ValidationError as error:
        return _answer(request, pk, error=error, reply_text=text, refresh_reply=True)
    return _answer(request, pk, done=_("Reply queued."), refresh_reply=True)


@staff_view
@require_GET
def conversation_canned(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A canned response as plain text in the buyer's language, filled in for this
    conversation; the console puts it in the reply box and nothing is sent."""
    conversation = _visible_conversation(request, pk)
    canned = get_object_or_404(CannedResponse, slug=slug)
    text = canned_response_text(canned=canned, conversation=conversation, user=request.user)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@staff_view
@require_POST
def conversation_note(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _visible_conversation(request, pk)
    text = request.POST.get("text", "")
    try:
        timeline_services.interaction_note_create(
            user=request.user,
            company=conversation.contact.company,
            contact=conversation.contact,
            text=text,
        )
    except ValidationError as error:
        return _answer(request, pk, error=error, note_text=text, refresh_note=True)
    return _answer(request, pk, done=_("Note added."), refresh_note=True)


# --- Humans in the loop: guidance and reply drafts -----------------------------------


def _drafts_context(conversation: Conversation) -> dict:
    from .models import DraftStatus

    return {
        "drafts": conversation.drafts.filter(status=DraftStatus.PROPOSED).order_by("created_at"),
    }


def _visible_draft(request: HttpRequest, pk: int, draft_pk: int):
    from .models import ReplyDraft

    conversation = _visible_conversation(request, pk)
    return get_object_or_404(ReplyDraft, pk=draft_pk, conversation=conversation)


@staff_view
@require_POST
def conversation_guide(request: HttpRequest, pk: int) -> HttpResponse:
    from .services.drafts import conversation_guide as guide

    conversation = _visible_conversation(request, pk)
    try:
        guide(
            conversation=conversation, user=request.user, guidance=request.POST.get("guidance", "")
        )
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(request, pk, done=_("The assistant follows your guidance from its next reply."))


@staff_view
@require_POST
def conversation_drafts_required(request: HttpRequest, pk: int) -> HttpResponse:
    from .services.drafts import conversation_drafts_set

    conversation = _visible_conversation(request, pk)
    required = request.POST.get("required") in ("1", "on", "true")
    conversation_drafts_set(conversation=conversation, user=request.user, required=required)
    done = (
        _("The assistant's replies wait for your approval.")
        if required
        else _("The assistant replies on its own again.")
    )
    return _answer(request, pk, done=done)


@staff_view
@require_POST
def draft_approve(request: HttpRequest, pk: int, draft_pk: int) -> HttpResponse:
    from .services import drafts

    draft = _visible_draft(request, pk, draft_pk)
    text = request.POST.get("text")
    try:
        drafts.draft_approve(draft=draft, user=request.user, text=text)
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(request, pk, done=_("Reply approved and queued."))


@staff_view
@require_POST
def draft_reject(request: HttpRequest, pk: int, draft_pk: int) -> HttpResponse:
    from .services import drafts

    draft = _visible_draft(request, pk, draft_pk)
    try:
        drafts.draft_reject(draft=draft, user=request.user)
    except ValidationError as error:
        return _answer(request, pk, error=error)
    return _answer(request, pk, done=_("Draft rejected; nothing was sent."))
