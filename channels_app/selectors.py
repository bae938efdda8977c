"""Reads of conversations and messages, under the CRM's one visibility rule."""

from django.db.models import QuerySet

from crm.selectors.visibility import company_visibility_q

from .models import Conversation, Message


def conversations_visible_to(user) -> QuerySet[Conversation]:
    return Conversation.objects.filter(company_visibility_q(user, prefix="contact__company__"))


def messages_visible_to(user) -> QuerySet[Message]:
    return Message.objects.filter(
        company_visibility_q(user, prefix="conversation__contact__company__")
    )
