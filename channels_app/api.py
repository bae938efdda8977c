"""REST API for conversations and messages (read), under the visibility rule."""

import django_filters
from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from crm.selectors.visibility import contacts_visible_to

from .models import Conversation, Message
from .selectors import conversations_visible_to, messages_visible_to
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
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


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


router = SimpleRouter()
router.register("conversations", ConversationViewSet, basename="conversation")
router.register("messages", MessageViewSet, basename="message")
router.register("contact-merges", ContactMergeViewSet, basename="contact-merge")
urlpatterns = router.urls
