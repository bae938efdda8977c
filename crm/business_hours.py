"""The seller's business hours (`PORTOLAN_SELLER`): when a person can have acted.
Shared by the assistant's promises to buyers and the console's reply reminders."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def business_time_after(start: datetime, *, hours: float) -> datetime:
    """The moment `hours` of the seller's business time have passed since `start`."""
    seller = settings.PORTOLAN_SELLER
    zone = ZoneInfo(seller["timezone"])
    opens, closes = seller["business_hours"]
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(zone)
    for _day in range(30):
        day_start = cursor.replace(hour=opens, minute=0, second=0, microsecond=0)
        day_end = cursor.replace(hour=closes, minute=0, second=0, microsecond=0)
        if cursor.weekday() in seller["business_days"] and cursor < day_end:
            cursor = max(cursor, day_start)
            if cursor + remaining <= day_end:
                return cursor + remaining
            remaining -= day_end - cursor
        cursor = (cursor + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return cursor
