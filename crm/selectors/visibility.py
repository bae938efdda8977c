"""The one rule for who sees which customers. UI, API, websockets and the assistant's
console all ask here.

- admin (superuser or the admin group): every company;
- manager and rep: the companies they own and those of the teams they belong to
  (a manager is a member of each team they manage);
- anyone else (no role, inactive, anonymous): nothing.
"""

from django.db.models import Q, QuerySet

from ..models import Company, Contact, Deal, Interaction, Role, Task, User


def user_sees_everything(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMIN)


def company_visibility_q(user: User, *, prefix: str = "") -> Q:
    """A filter over companies (or, with `prefix="company__"`, over records that belong
    to a company) that keeps what `user` may see."""
    if not (user.is_authenticated and user.is_active) or not user.role:
        return Q(pk__in=[])
    if user_sees_everything(user):
        return Q()
    team_ids = list(user.teams.values_list("id", flat=True))
    return Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}team_id__in": team_ids})


def companies_visible_to(user: User) -> QuerySet[Company]:
    return Company.objects.filter(company_visibility_q(user))


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(company_visibility_q(user, prefix="company__"))


def deals_visible_to(user: User) -> QuerySet[Deal]:
    return Deal.objects.filter(company_visibility_q(user, prefix="company__"))


def interactions_visible_to(user: User) -> QuerySet[Interaction]:
    return Interaction.objects.filter(company_visibility_q(user, prefix="company__"))


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """Tasks of visible companies, plus any task assigned to the user."""
    if not (user.is_authenticated and user.is_active) or not user.role:
        return Task.objects.none()
    if user_sees_everything(user):
        # Not folded into the OR below: an empty Q() OR'd with another Q is that other Q.
        return Task.objects.all()
    return Task.objects.filter(company_visibility_q(user, prefix="company__") | Q(assignee=user))


def users_who_see(company: Company) -> QuerySet[User]:
    """Active staff with a role who may see `company`, in one query: the same rule as
    `company_visibility_q`, read from the company's side (admins, its owner, its team)."""
    has_role = Q(is_superuser=True) | Q(groups__name__in=Role.values)
    sees = (
        Q(is_superuser=True)
        | Q(groups__name=Role.ADMIN)
        | Q(pk=company.owner_id)
        | Q(teams=company.team_id)
    )
    return User.objects.filter(has_role, sees, is_active=True).distinct()


def company_is_visible(user: User, company: Company) -> bool:
    return companies_visible_to(user).filter(pk=company.pk).exists()
