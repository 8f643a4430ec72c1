"""The bodies that meet (networks), the people named in their minutes, and who may do what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    """A regional body whose minutes we keep; ``aliases`` are the names it goes by in the text."""

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=100, unique=True)
    short_name = models.CharField(_("förkortning"), max_length=30, blank=True, help_text=_("T.ex. SCHNV."))
    aliases = models.JSONField(
        _("alternativa namn"),
        default=list,
        blank=True,
        help_text=_("Namn som nätverket kallas i minnesanteckningarna, ett per rad i listan."),
    )
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        """Every name the network is recognised by, without blanks or duplicates, name first."""
        names = [self.name, self.short_name, *(self.aliases or [])]
        seen: set[str] = set()
        result = []
        for name in names:
            if name and name not in seen:
                seen.add(name)
                result.append(name)
        return result


class Person(models.Model):
    """Someone named in minutes, as written.

    Groups that get tasks ("Styrgruppen", "Kansliet") are stored as persons with an empty
    organization, so an assignment can point at either.
    """

    name = models.CharField(_("namn"), max_length=200)
    organization = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name", "organization"]
        constraints = [
            # Empty string, not NULL, for "no organization": NULLs never collide in a unique constraint.
            models.UniqueConstraint(fields=["name", "organization"], name="networks_person_unique_name_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})" if self.organization else self.name


class Membership(models.Model):
    """A user's role in one network; it decides what they may read and change there."""

    class Role(models.TextChoices):
        READER = "reader", _("läsare")
        SECRETARY = "secretary", _("sekreterare")
        ADMIN = "admin", _("administratör")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("nätverk")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.READER)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["network", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"], name="networks_membership_unique_user_network"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.network} ({self.get_role_display()})"
