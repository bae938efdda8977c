"""Who may open the staff pages, and in which time zone they read them."""

import zoneinfo
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from ..models import Role, User

MANAGING_ROLES = (Role.ADMIN, Role.MANAGER)


def user_zone(user: User) -> zoneinfo.ZoneInfo:
    """The user's own time zone, or UTC when the stored name is unknown."""
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in staff with a CRM role only: anonymous visitors go to the login page,
    accounts without a role get 403. Times render in the user's own time zone."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            login = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                # A partial swap must not put the login page inside the current page.
                return HttpResponseClientRedirect(login.url)
            return login
        if not (user.is_active and user.role):
            raise PermissionDenied(
                _("Your account has no role in the CRM yet. Ask an administrator for one.")
            )
        with timezone.override(user_zone(user)):
            return view(request, *args, **kwargs)

    return wrapper


def require_managing_role(user: User) -> None:
    """Deleting customers is for sales managers and administrators."""
    if user.role not in MANAGING_ROLES:
        raise PermissionDenied(_("Only sales managers and administrators may delete companies."))
