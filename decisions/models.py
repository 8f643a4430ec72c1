"""Decisions taken under an agenda item and the assignments (tasks) they give.

Both keep their source line span and ``edited_fields`` like the minutes models, so a re-ingest
can tell parsed values from human ones. Full-text search is added in its own migration.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from networks.models import Network


class DecisionQuerySet(models.QuerySet["Decision"]):
    def for_network(self, network: Network | int) -> DecisionQuerySet:
        return self.filter(item__meeting__network=network)

    def visible(self) -> DecisionQuerySet:
        """Decisions of meetings not in the trash."""
        return self.filter(item__meeting__trashed_at__isnull=True)

    def published(self) -> DecisionQuerySet:
        """What readers may see: decisions of published meetings that are not in the trash."""
        return self.filter(item__meeting__is_published=True, item__meeting__trashed_at__isnull=True)

    def formal(self) -> DecisionQuerySet:
        """Clauses under a decision heading ("Chefsnätverket beslutar … att …")."""
        return self.filter(is_formal=True)

    def inline(self) -> DecisionQuerySet:
        """Decisions stated in running prose ("Läggs till handlingarna.")."""
        return self.filter(is_formal=False)


class Decision(models.Model):
    """One decision: a formal "att …" clause or a decision found in the item's prose."""

    class Kind(models.TextChoices):
        # Values match minutes.parsing.result.DECISION_KINDS.
        FILE = "file", _("läggs till handlingarna")
        APPROVE = "approve", _("godkänner")
        REJECT = "reject", _("avslår")
        ASSIGN = "assign", _("uppdrag")
        APPOINT = "appoint", _("utser")
        REFER = "refer", _("hänskjuter")
        POSTPONE = "postpone", _("avvaktar/bordlägger")
        RECOMMEND = "recommend", _("rekommenderar")
        PROCEDURAL = "procedural", _("formalia")
        OTHER = "other", _("övrigt")

    item = models.ForeignKey(
        "minutes.AgendaItem", on_delete=models.CASCADE, related_name="decisions", verbose_name=_("ärende")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    text = models.TextField(_("beslutstext"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_formal = models.BooleanField(
        _("formellt beslut"),
        default=True,
        help_text=_("Avmarkerad när beslutet står i löptext i stället för som en att-sats."),
    )
    line_start = models.PositiveIntegerField(_("första rad"), null=True, blank=True)
    line_end = models.PositiveIntegerField(_("sista rad"), null=True, blank=True)
    edited_fields = models.JSONField(_("manuellt ändrade fält"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # The search document (decisions.search): derived from the text, the item's title and the
    # assignments' tasks, and kept current by decisions.signals. The GIN indexes on these two
    # columns are created by migration 0002 on PostgreSQL only (SQLite cannot build them), so
    # they are deliberately not listed in Meta.indexes.
    search_text = models.TextField(
        _("söktext"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Beslutstext, ärendets rubrik och uppdragen, i gemener och utan diakritiska tecken."),
    )
    search_vector = SearchVectorField(_("sökvektor"), null=True, blank=True, editable=False)

    history = HistoricalRecords(
        # Derived search columns change with other rows; versioning them would only add noise.
        excluded_fields=["search_text", "search_vector"],
        verbose_name=_("historik för beslut"),
        verbose_name_plural=_("historik för beslut"),
    )
    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["item", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line_start__isnull=True)
                | models.Q(line_end__isnull=True)
                | models.Q(line_end__gte=models.F("line_start")),
                name="decisions_decision_line_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def open(self) -> AssignmentQuerySet:
        return self.filter(status=Assignment.Status.OPEN)

    def done(self) -> AssignmentQuerySet:
        return self.filter(status=Assignment.Status.DONE)

    def overdue(self, today: datetime.date | None = None) -> AssignmentQuerySet:
        """Open with a due date before ``today`` (default: today in the project's time zone)."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def for_network(self, network: Network | int) -> AssignmentQuerySet:
        return self.filter(item__meeting__network=network)

    def visible(self) -> AssignmentQuerySet:
        """Assignments of meetings not in the trash."""
        return self.filter(item__meeting__trashed_at__isnull=True)

    def published(self) -> AssignmentQuerySet:
        """What readers may see: assignments of published meetings that are not in the trash."""
        return self.filter(item__meeting__is_published=True, item__meeting__trashed_at__isnull=True)


class Assignment(models.Model):
    """A task given to someone at a meeting, tracked until it is done.

    ``item`` is always set; ``decision`` only when the task came from a formal clause.
    ``assignees`` may be persons or groups: a group such as "Styrgruppen" is stored as a
    ``networks.Person`` with an empty organization. ``assignees_text`` keeps the names as written.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("öppen")
        DONE = "done", _("klar")

    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("beslut"),
    )
    item = models.ForeignKey(
        "minutes.AgendaItem", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("ärende")
    )
    assignees_text = models.CharField(
        _("ansvariga (som skrivet)"), max_length=500, blank=True, help_text=_("Namnen åtskilda med ”, ”.")
    )
    assignees = models.ManyToManyField(
        "networks.Person", blank=True, related_name="assignments", verbose_name=_("ansvariga")
    )
    task = models.TextField(_("uppdrag"))
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_date = models.DateField(_("klart datum"), null=True, blank=True)
    done_comment = models.TextField(_("kommentar vid avslut"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    line_start = models.PositiveIntegerField(_("första rad"), null=True, blank=True)
    line_end = models.PositiveIntegerField(_("sista rad"), null=True, blank=True)
    edited_fields = models.JSONField(_("manuellt ändrade fält"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[assignees],
        verbose_name=_("historik för uppdrag"),
        verbose_name_plural=_("historik för uppdrag"),
    )
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["item", "order"]
        indexes = [models.Index(fields=["status", "due_date"], name="decisions_assign_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line_start__isnull=True)
                | models.Q(line_end__isnull=True)
                | models.Q(line_end__gte=models.F("line_start")),
                name="decisions_assignment_line_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        who = self.assignees_text or _("(ingen angiven)")
        task = self.task if len(self.task) <= 60 else f"{self.task[:59]}…"
        return f"{who}: {task}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )
