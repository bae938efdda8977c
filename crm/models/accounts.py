from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .choices import Language, Role


class User(AbstractUser):
    """A member of the seller's staff: admin, sales manager or sales rep."""

    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role(self) -> str:
        """The strongest role the user holds: admin, manager, rep, or '' for none."""
        if self.is_superuser:
            return Role.ADMIN
        names = {group.name for group in self.groups.all()}
        for role in (Role.ADMIN, Role.MANAGER, Role.REP):
            if role in names:
                return role
        return ""


class Team(models.Model):
    """A sales team. Reps see the companies of their teams; managers are members of the
    teams they manage."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        User, related_name="teams", blank=True, verbose_name=_("members")
    )
    markets = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        verbose_name=_("markets"),
        help_text=_("Country codes whose new prospects this team receives."),
    )
    is_default = models.BooleanField(
        _("receives other prospects"),
        default=False,
        help_text=_("New prospects from markets no team covers."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
