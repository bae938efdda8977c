"""REST API for conversations and messages (read), under the visibility rule."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from crm.models import User
from crm.selectors.visibility import contacts_visible_to

from .canned import canned_field, canned_language
from .models import CannedResponse, Conversation, Message, ReplyDraft
from .selectors import conversations_visible_to, messages_visible_to
from .services.drafts import (
    MAX_GUIDANCE_CHARS,
    conversation_drafts_set,
    conversation_guide,
    draft_approve,
    draft_reject,
)
from .services.followup import conversation_resolve
from .services.handoff import (
    conversation_assign,
    conversation_hand_back,
    conversation_take_over,
    staff_reply,
)
from .services.identity import contacts_merge


class ConversationSerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.name", read_only=True)
    company = serializers.IntegerField(source="contact.company_id", read_only=True)
    company_name = serializers.CharField(source="contact.company.legal_name", read_only=True)
    address = serializers.CharField(source="identity.address", read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "channel",
            "status",
            "contact",
            "contact_name",
            "company",
            "company_name",
            "address",
            "assigned_to",
            "language",
            "subject",
            "last_inbound_at",
            "last_outbound_at",
            "reply_window_expires_at",
            "last_sequence",
            "escalated_at",
            "escalation_reasons",
            "handoff_summary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000, trim_whitespace=True)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(help_text="The user who takes the conversation.")


class GuidanceSerializer(serializers.Serializer):
    guidance = serializers.CharField(allow_blank=True, max_length=MAX_GUIDANCE_CHARS)


class DraftsRequiredSerializer(serializers.Serializer):
    required = serializers.BooleanField()


class ConversationSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Conversation
        fields = ["id", "guidance", "drafts_required"]
        read_only_fields = fields


class ReplyDraftSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReplyDraft
        fields = [
            "id",
            "conversation",
            "in_reply_to",
            "text",
            "language",
            "reason",
            "status",
            "decided_by",
            "decided_at",
            "sent_message",
            "created_at",
        ]
        read_only_fields = fields


class DraftApproveSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20000,
        help_text="The edited reply; without it the draft is sent as it is.",
    )


class MessageSerializer(serializers.ModelSerializer):
    outbound_status = serializers.CharField(source="outbound.status", read_only=True, default=None)
    outbound_error = serializers.CharField(
        source="outbound.last_error", read_only=True, default=None
    )
    outbound_channel = serializers.CharField(
        source="outbound.channel", read_only=True, default=None
    )
    routing_reason = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "sequence",
            "direction",
            "sender",
            "kind",
            "text",
            "attachments",
            "language",
            "channel",
            "provider_message_id",
            "delivery_status",
            "outbound_status",
            "outbound_error",
            "outbound_channel",
            "routing_reason",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_routing_reason(self, message: Message) -> str:
        """Why a reply left on another channel than the conversation's (e.g. WhatsApp's window)."""
        outbound = getattr(message, "outbound", None)
        return outbound.payload.get("reason", "") if outbound else ""


class ConversationFilter(django_filters.FilterSet):
    company = django_filters.NumberFilter(field_name="contact__company")

    class Meta:
        model = Conversation
        fields = ["channel", "status", "contact", "assigned_to", "language"]


class MessageFilter(django_filters.FilterSet):
    class Meta:
        model = Message
        fields = ["conversation", "channel", "direction", "sender", "delivery_status", "kind"]


class ConversationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ConversationSerializer
    filterset_class = ConversationFilter
    search_fields = [
        "contact__name",
        "contact__company__legal_name",
        "identity__address",
        "subject",
    ]
    ordering_fields = ["updated_at", "last_inbound_at", "created_at"]

    def get_queryset(self):
        return conversations_visible_to(self.request.user).select_related(
            "contact__company", "identity"
        )

    def _answer(self, conversation):
        conversation = self.get_queryset().get(pk=conversation.pk)
        return Response(ConversationSerializer(conversation).data)

    @action(detail=True, methods=["post"], url_path="take-over")
    def take_over(self, request, pk=None):
        """Take the conversation from the assistant; 400 says who has it when another rep
        was quicker."""
        conversation = conversation_take_over(conversation=self.get_object(), user=request.user)
        return self._answer(conversation)

    @action(detail=True, methods=["post"], url_path="hand-back")
    def hand_back(self, request, pk=None):
        """Let the assistant answer again."""
        conversation = conversation_hand_back(conversation=self.get_object(), user=request.user)
        return self._answer(conversation)

    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Close the conversation; when a person handled it the buyer is asked for a 1–5
        rating on their channel."""
        conversation = conversation_resolve(conversation=self.get_object(), user=request.user)
        return self._answer(conversation)

    @action(detail=True, methods=["post"], serializer_class=AssignSerializer)
    def assign(self, request, pk=None):
        """Give the conversation to a rep who may see the customer."""
        conversation = self.get_object()
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignee = User.objects.filter(pk=payload.validated_data["assignee"]).first()
        if assignee is None:
            raise serializers.ValidationError({"assignee": [_("No such user.")]})
        conversation = conversation_assign(
            conversation=conversation, assignee=assignee, user=request.user
        )
        return self._answer(conversation)

    @action(detail=True, methods=["post"], serializer_class=ReplySerializer)
    def reply(self, request, pk=None):
        """Reply on the conversation's channel (through the outbox); taking it over
        from the assistant if it had it."""
        conversation = self.get_object()
        payload = ReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        message = staff_reply(
            conversation=conversation, user=request.user, text=payload.validated_data["text"]
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=GuidanceSerializer)
    def guide(self, request, pk=None):
        """Tell the assistant how to reply here ("offer 3 % off if they order 5,000");
        an empty text clears it."""
        conversation = self.get_object()
        payload = GuidanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = conversation_guide(
            conversation=conversation,
            user=request.user,
            guidance=payload.validated_data["guidance"],
        )
        return Response(ConversationSettingsSerializer(conversation).data)

    @action(
        detail=True,
        methods=["post"],
        url_path="drafts-required",
        serializer_class=DraftsRequiredSerializer,
    )
    def drafts_required(self, request, pk=None):
        """Whether the assistant's replies here wait for a person's approval."""
        conversation = self.get_object()
        payload = DraftsRequiredSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = conversation_drafts_set(
            conversation=conversation,
            user=request.user,
            required=payload.validated_data["required"],
        )
        return Response(ConversationSettingsSerializer(conversation).data)

    @action(detail=True, methods=["get"], serializer_class=ReplyDraftSerializer)
    def drafts(self, request, pk=None):
        """The assistant's replies proposed here, newest first (`?status=proposed`)."""
        drafts = self.get_object().drafts.all()
        wanted = request.query_params.get("status")
        if wanted:
            drafts = drafts.filter(status=wanted)
        page = self.paginate_queryset(drafts)
        if page is not None:
            return self.get_paginated_response(ReplyDraftSerializer(page, many=True).data)
        return Response(ReplyDraftSerializer(drafts, many=True).data)


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    filterset_class = MessageFilter
    search_fields = ["text"]
    ordering_fields = ["sent_at", "sequence", "created_at"]

    def get_queryset(self):
        return messages_visible_to(self.request.user).select_related("outbound")


class ContactMergeSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="The contact that disappears.")
    target = serializers.IntegerField(help_text="The contact that is kept.")


class ContactMergeViewSet(viewsets.GenericViewSet):
    """Merge two contacts the user may see: identities, conversations, timeline and
    documents move to the kept contact; an audit entry is kept."""

    serializer_class = ContactMergeSerializer

    def create(self, request):
        payload = ContactMergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        visible = contacts_visible_to(request.user).select_related("company")
        source = get_object_or_404(visible, pk=payload.validated_data["source"])
        target = get_object_or_404(visible, pk=payload.validated_data["target"])
        audit = contacts_merge(source=source, target=target, user=request.user)
        return Response({"target": target.pk, "moved": audit.moved}, status=status.HTTP_201_CREATED)


class DraftViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Replies the assistant proposed, under the conversations' visibility: approve
    (optionally edited) sends it once; reject drops it."""

    serializer_class = ReplyDraftSerializer

    def get_queryset(self):
        return ReplyDraft.objects.filter(
            conversation__in=conversations_visible_to(self.request.user)
        ).select_related("conversation")

    @action(detail=True, methods=["post"], serializer_class=DraftApproveSerializer)
    def approve(self, request, pk=None):
        """Send the draft (or the edited text, as your reply); 400 when it was decided."""
        draft = self.get_object()
        payload = DraftApproveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        message = draft_approve(
            draft=draft, user=request.user, text=payload.validated_data.get("text")
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Drop the draft; nothing is sent."""
        draft = draft_reject(draft=self.get_object(), user=request.user)
        return Response(ReplyDraftSerializer(draft).data)


class CannedResponseSerializer(serializers.ModelSerializer):
    """Title and body in the language asked for (English where a translation is missing)."""

    language = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = CannedResponse
        fields = ["id", "slug", "language", "title", "body", "updated_at"]
        read_only_fields = fields

    def get_language(self, canned: CannedResponse) -> str:
        return self.context["language"]

    def get_title(self, canned: CannedResponse) -> str:
        return canned_field(canned, "title", self.context["language"])

    def get_body(self, canned: CannedResponse) -> str:
        return canned_field(canned, "body", self.context["language"])


class CannedResponseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Ready answers for reps, read-only: `?language=es` picks the language (default: the
    request's); `{contact}` and `{rep}` are left for the client to fill in."""

    serializer_class = CannedResponseSerializer
    queryset = CannedResponse.objects.order_by("slug")
    search_fields = ["slug", "title"]
    ordering_fields = ["slug", "updated_at"]

    def get_serializer_context(self):
        asked = self.request.query_params.get("language") or self.request.LANGUAGE_CODE
        return {**super().get_serializer_context(), "language": canned_language(asked)}


router = SimpleRouter()
router.register("conversations", ConversationViewSet, basename="conversation")
router.register("messages", MessageViewSet, basename="message")
router.register("drafts", DraftViewSet, basename="draft")
router.register("contact-merges", ContactMergeViewSet, basename="contact-merge")
router.register("canned-responses", CannedResponseViewSet, basename="canned-response")
urlpatterns = router.urls
