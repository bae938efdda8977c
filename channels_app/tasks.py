"""django-q2 task entry points: thin wrappers around the messaging services."""

from .services import messaging


def inbound_record(receipt_id: int) -> None:
    messaging.inbound_record(receipt_id=receipt_id)


def inbound_process(message_id: int) -> None:
    # Already in a worker: the reply's first send attempt happens here, one hop sooner.
    messaging.inbound_process(message_id=message_id, send_here=True)


def outbound_send(outbound_id: int) -> str:
    return messaging.outbound_send(outbound_id=outbound_id)


def outbox_sweep() -> dict:
    return messaging.outbox_sweep()


def conversations_sla_check() -> dict:
    from .services.followup import conversations_sla_check as check

    return check()
