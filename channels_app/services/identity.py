"""Who wrote: a channel identity belongs to one contact; an unknown sender becomes a
prospect. A new identity is linked to a contact that lists the same verified email or
phone; when that is ambiguous (several companies), a merge suggestion is raised for a
person to decide — never a silent merge across companies."""

import phonenumbers
from django.db import IntegrityError, transaction

from crm.models import Channel, ChannelIdentity
from crm.selectors.customers import contacts_with_address
from crm.services.customers import prospect_create

from ..models import MergeSuggestion


def _phone_country(phone: str) -> str:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(phone, None)) or ""
    except phonenumbers.NumberParseException:
        return ""


def _as_phone(address: str) -> str:
    digits = address if address.startswith("+") else f"+{address}"
    try:
        number = phonenumbers.parse(digits, None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def identity_resolve(
    *,
    channel: str,
    address: str,
    sender_name: str = "",
    language: str = "",
    verified: bool = True,
) -> ChannelIdentity:
    """The identity for (channel, address), creating it (and a prospect) when new.
    `verified`: the channel proved this message came from the address (an email's
    DKIM/DMARC/SPF); an identity is marked verified once a proven message arrives."""
    identity = (
        ChannelIdentity.objects.select_related("contact__company")
        .filter(channel=channel, address=address)
        .first()
    )
    if identity is not None:
        if verified and not identity.verified and channel == Channel.EMAIL:
            ChannelIdentity.objects.filter(pk=identity.pk).update(verified=True)
            identity.verified = True
        return identity
    email = address.lower() if channel == Channel.EMAIL else ""
    phone = _as_phone(address) if channel == Channel.WHATSAPP else ""
    matches = list(contacts_with_address(email=email, phone=phone)) if (email or phone) else []
    companies = {contact.company_id for contact in matches}
    try:
        with transaction.atomic():
            if len(companies) == 1:
                contact = matches[0]
            else:
                contact = prospect_create(
                    name=sender_name,
                    country=_phone_country(phone) if phone else "",
                    language=language,
                    email=email,
                    phone=phone,
                )
            identity = ChannelIdentity.objects.create(
                contact=contact,
                channel=channel,
                address=address,
                verified=verified and channel in (Channel.WHATSAPP, Channel.EMAIL),
            )
            for other in matches if len(companies) > 1 else []:
                MergeSuggestion.objects.get_or_create(
                    contact=contact, candidate=other, defaults={"reason": f"{channel}:{address}"}
                )
    except IntegrityError:
        # Another request created it at the same moment: use theirs.
        identity = ChannelIdentity.objects.select_related("contact__company").get(
            channel=channel, address=address
        )
    return identity


@transaction.atomic
def contacts_merge(*, source, target, user):
    """Merge `source` into `target`: channel identities, conversations, timeline and
    documents move; the audit entry says who did it and what moved."""
    from crm.services.customers import contacts_merge_records

    from ..models import Conversation

    moved = {"conversations": Conversation.objects.filter(contact=source).update(contact=target)}
    MergeSuggestion.objects.filter(contact=source).update(resolved=True)
    MergeSuggestion.objects.filter(candidate=source).update(resolved=True)
    return contacts_merge_records(source=source, target=target, user=user, moved=moved)
