from rest_framework.permissions import BasePermission


class IsStaffUser(BasePermission):
    """Signed-in members of the seller's staff (any role). What each may see is the
    visibility selector's business, applied in every queryset."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.role)
