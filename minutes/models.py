"""Uploaded minutes documents and the meetings, agenda items and attachments read from them.

Rows written by ingest keep their source line span (provenance); ``edited_fields`` lists the
fields a human has changed so that a re-ingest keeps them and records a Conflict instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from networks.models import Network


def _line_span_check(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(line_start__isnull=True)
        | models.Q(line_end__isnull=True)
        | models.Q(line_end__gte=models.F("line_start")),
        name=f"{prefix}_line_span_ordered",
    )


class SourceDocumentQuerySet(models.QuerySet["SourceDocument"]):
    def active(self) -> SourceDocumentQuerySet:
        """Documents not in the trash."""
        return self.filter(trashed_at__isnull=True)

    def trashed(self) -> SourceDocumentQuerySet:
        return self.filter(trashed_at__isnull=False)


class SourceDocument(models.Model):
    """One uploaded file and what reading and parsing made of it (kept for provenance and re-ingest)."""

    class ReadMethod(models.TextChoices):
        # Values match minutes.reading.base.Method.
        TEXT = "text", _("text")
        PDF = "pdf", _("PDF med textlager")
        DOCX = "docx", _("Word (docx)")
        OCR = "ocr", _("OCR")
        MIXED = "mixed", _("blandat (text och OCR)")

    class Status(models.TextChoices):
        PENDING = "pending", _("väntar")
        PROCESSING = "processing", _("bearbetas")
        READY = "ready", _("klar för granskning")
        FAILED = "failed", _("misslyckades")

    file = models.FileField(_("fil"), upload_to="sources/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    mime_type = models.CharField(_("MIME-typ"), max_length=100)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    extracted_text = models.TextField(_("utläst text"), blank=True)
    read_method = models.CharField(_("läsmetod"), max_length=10, choices=ReadMethod.choices, blank=True)
    ocr_confidence = models.FloatField(_("OCR-säkerhet"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("antal sidor"), null=True, blank=True)
    parser_version = models.CharField(_("tolkningsversion"), max_length=50, blank=True)
    warnings = models.JSONField(_("varningar"), default=list, blank=True)
    parsed_json = models.JSONField(_("tolkat resultat"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    error_message = models.TextField(_("felmeddelande"), blank=True)
    pages_done = models.PositiveIntegerField(_("sidor klara"), default=0)
    pages_total = models.PositiveIntegerField(_("sidor totalt"), default=0)
    upload_options = models.JSONField(
        _("uppgifter från uppladdningen"),
        default=dict,
        blank=True,
        help_text=_(
            "Datum och rubrik som rättades i uppladdningsformuläret, och bilagefiler som väntar "
            "på att mötet ska bli klart; kvar så att ett nytt försök gör samma sak."
        ),
    )
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_documents",
        verbose_name=_("nätverk"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_documents",
        verbose_name=_("uppladdad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    trashed_at = models.DateTimeField(_("i papperskorgen sedan"), null=True, blank=True)

    objects = SourceDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("källdokument")
        verbose_name_plural = _("källdokument")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="minutes_srcdoc_status_idx")]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def published(self) -> MeetingQuerySet:
        """Published and not trashed: what readers see."""
        return self.visible().filter(is_published=True)

    def visible(self) -> MeetingQuerySet:
        """Not in the trash."""
        return self.filter(trashed_at__isnull=True)

    def for_network(self, network: Network | int) -> MeetingQuerySet:
        return self.filter(network=network)


class Meeting(models.Model):
    """One meeting of one network; at most one per network and day."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("nätverk")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    location = models.CharField(_("plats"), max_length=255, blank=True)
    title = models.CharField(_("rubrik"), max_length=500)
    source_document = models.ForeignKey(
        SourceDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("källdokument"),
        help_text=_("Det senast inlästa dokumentet."),
    )
    previous_minutes = models.JSONField(
        _("föregående minnesanteckningar"),
        default=list,
        blank=True,
        help_text=_("ISO-datum för tidigare anteckningar som mötet hänvisar till."),
    )
    is_published = models.BooleanField(_("publicerad"), default=True)
    edited_fields = models.JSONField(_("manuellt ändrade fält"), default=list, blank=True)
    trashed_at = models.DateTimeField(_("i papperskorgen sedan"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords(
        verbose_name=_("historik för möte"),
        verbose_name_plural=_("historik för möten"),
    )
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-date"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(fields=["network", "date"], name="minutes_meeting_unique_network_date"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:meeting_detail", kwargs={"pk": self.pk})


class Attendance(models.Model):
    """A person present at a meeting, with the organization as the minutes wrote it that day."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("möte")
    )
    person = models.ForeignKey(
        "networks.Person", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    organization = models.CharField(_("organisation (som skriven)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords(
        verbose_name=_("historik för närvaro"),
        verbose_name_plural=_("historik för närvaro"),
    )

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvarande")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="minutes_attendance_unique_meeting_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"


class AgendaItem(models.Model):
    """A numbered point on a meeting's agenda ("§ 3"), with the source lines it was read from."""

    class Status(models.TextChoices):
        # Values match minutes.parsing.result.ITEM_STATUSES.
        HANDLED = "handled", _("behandlad")
        TABLED = "tabled", _("bordlagd")
        WITHDRAWN = "withdrawn", _("utgår")
        REFERRED = "referred", _("hänskjuten")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("möte")
    )
    number = models.CharField(_("nummer"), max_length=20)
    title = models.TextField(_("rubrik"))
    presenters = models.JSONField(
        _("föredragande"), default=list, blank=True, help_text=_("Namn som de skrivs i anteckningarna.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.HANDLED)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    line_start = models.PositiveIntegerField(_("första rad"), null=True, blank=True)
    line_end = models.PositiveIntegerField(_("sista rad"), null=True, blank=True)
    edited_fields = models.JSONField(_("manuellt ändrade fält"), default=list, blank=True)

    history = HistoricalRecords(
        verbose_name=_("historik för ärende"),
        verbose_name_plural=_("historik för ärenden"),
    )

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="minutes_agendaitem_unique_meeting_number"
            ),
            _line_span_check("minutes_agendaitem"),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"


class SubItem(models.Model):
    """A lettered sub-point of an agenda item ("a) …")."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="subitems", verbose_name=_("ärende")
    )
    label = models.CharField(_("beteckning"), max_length=20)
    title = models.TextField(_("rubrik"))
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords(
        verbose_name=_("historik för underpunkt"),
        verbose_name_plural=_("historik för underpunkter"),
    )

    class Meta:
        verbose_name = _("underpunkt")
        verbose_name_plural = _("underpunkter")
        ordering = ["item", "order"]

    def __str__(self) -> str:
        return f"{self.label}) {self.title}"


class Attachment(models.Model):
    """An attachment the minutes refer to ("Bilaga 16"); the file itself may come later or never."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("möte")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("ärende"),
    )
    reference = models.CharField(
        _("hänvisning"), max_length=100, help_text=_("Som skriven, t.ex. ”Bilaga 16”.")
    )
    file = models.FileField(_("fil"), upload_to="attachments/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    mime_type = models.CharField(_("MIME-typ"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    history = HistoricalRecords(
        verbose_name=_("historik för bilaga"),
        verbose_name_plural=_("historik för bilagor"),
    )

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["meeting", "item", "id"]

    def __str__(self) -> str:
        return self.reference


class ConflictQuerySet(models.QuerySet["Conflict"]):
    def unresolved(self) -> ConflictQuerySet:
        return self.filter(resolved_at__isnull=True)


class Conflict(models.Model):
    """A re-ingest read something else than a human had written into a field: listed, never auto-resolved."""

    class Resolution(models.TextChoices):
        KEPT_HUMAN = "kept_human", _("behöll manuell ändring")
        TOOK_PARSED = "took_parsed", _("tog det inlästa värdet")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("möte")
    )
    source_document = models.ForeignKey(
        SourceDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conflicts",
        verbose_name=_("källdokument"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("innehållstyp"))
    object_id = models.PositiveBigIntegerField(_("objekt-id"))
    content_object = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(_("fält"), max_length=100)
    human_value = models.TextField(_("manuellt värde"), blank=True)
    parsed_value = models.TextField(_("inläst värde"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("löst"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolved_conflicts",
        verbose_name=_("löst av"),
    )
    resolution = models.CharField(_("beslut"), max_length=20, choices=Resolution.choices, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("konflikt")
        verbose_name_plural = _("konflikter")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="minutes_conflict_target_idx")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.content_type.model}.{self.field_name}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
