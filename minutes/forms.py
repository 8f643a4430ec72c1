"""Forms of the write side: small, validated on the server, and never writing themselves.

Views hand ``cleaned_data`` to a service (``minutes.uploads``, ``minutes.editing``,
``decisions.services``); the forms only check input.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from decisions.models import Decision
from networks.models import Network

from . import uploads
from .models import AgendaItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files from one ``<input type=file multiple>`` (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} kB"


class UploadForm(forms.Form):
    """The minutes file, its attachments, the network and optional corrections of date and title.

    Each file is spooled to a temporary file and its type sniffed from the content
    (``uploads.check_upload``); the view removes the spooled files when it is done.
    """

    file = forms.FileField(
        label=_("Minnesanteckningar"),
        help_text=_("Word (.docx), PDF, textfil eller en skannad bild (.png, .jpg, .tif)."),
        error_messages={
            "required": _("Välj filen med minnesanteckningarna."),
            "empty": _("Filen är tom (0 byte)."),
            "invalid": _("Ingen fil skickades. Kontrollera formulärets kodning."),
        },
    )
    attachments = MultipleFileField(
        label=_("Bilagor"),
        required=False,
        help_text=_("Valfritt: en eller flera bilagor till mötet."),
        error_messages={"empty": _("En av bilagorna är tom (0 byte).")},
    )
    network = forms.ModelChoiceField(
        label=_("Nätverk"), queryset=Network.objects.none(), empty_label=_("– välj nätverk –")
    )
    meeting_date = forms.DateField(
        label=_("Mötesdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Fyll bara i om datumet i dokumentet saknas eller är fel."),
    )
    title = forms.CharField(
        label=_("Rubrik"),
        required=False,
        max_length=500,
        help_text=_("Fyll bara i om rubriken i dokumentet är fel."),
    )

    def __init__(self, *args: Any, networks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks
        self.spooled: list[uploads.SpooledFile] = []
        self.spooled_attachments: list[uploads.SpooledFile] = []

    def clean_file(self) -> UploadedFile:
        uploaded = self.cleaned_data["file"]
        spooled = uploads.check_upload(uploaded, allowed=uploads.MINUTES_TYPES, will_read=True)
        self.spooled.append(spooled)
        return uploaded

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > uploads.MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Högst %(n)s bilagor åt gången.") % {"n": uploads.MAX_ATTACHMENTS})
        for uploaded in files:
            spooled = uploads.check_upload(uploaded, allowed=uploads.ATTACHMENT_TYPES, what="Bilagan")
            self.spooled.append(spooled)
            self.spooled_attachments.append(spooled)
        return files

    def cleanup(self) -> None:
        for spooled in self.spooled:
            spooled.remove()
        self.spooled.clear()
        self.spooled_attachments.clear()

    @property
    def minutes_file(self) -> uploads.SpooledFile:
        return next(s for s in self.spooled if s not in self.spooled_attachments)

    @staticmethod
    def max_size_text() -> str:
        return _size_text(settings.BESLUTSARKIVET_UPLOAD_MAX_BYTES)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=500)
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Starttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Sluttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location = forms.CharField(label=_("Plats"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", _("Sluttiden kan inte vara före starttiden."))
        return cleaned


class AttendanceAddForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    organization = forms.CharField(label=_("Organisation"), max_length=200, required=False)


_SUBITEM_LINE = re.compile(r"^\s*([0-9A-Za-zÅÄÖåäö]{1,5})[).:]\s*(.+?)\s*$")


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), widget=forms.TextInput(attrs={"size": 60}))
    status = forms.ChoiceField(label=_("Status"), choices=AgendaItem.Status.choices)
    presenters = forms.CharField(
        label=_("Föredragande"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En per rad."),
    )
    subitems = forms.CharField(
        label=_("Underpunkter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("En per rad, som ”a) Rubrik”."),
    )

    def clean_presenters(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["presenters"].splitlines() if line.strip()]

    def clean_subitems(self) -> list[tuple[str, str]]:
        result = []
        for number, line in enumerate(self.cleaned_data["subitems"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _SUBITEM_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Rad %(n)s: skriv underpunkten som ”a) Rubrik”.") % {"n": number}
                )
            result.append((match[1], match[2]))
        return result

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "status": item.status,
            "presenters": "\n".join(item.presenters or []),
            "subitems": "\n".join(f"{s.label}) {s.title}" for s in item.subitems.order_by("order")),
        }


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslutstext"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Typ"), choices=Decision.Kind.choices)


class DecisionSplitForm(forms.Form):
    position = forms.IntegerField(
        label=_("Dela efter tecken nummer"),
        min_value=1,
        help_text=_("Texten före positionen blir det första beslutet, resten det andra."),
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["position"].max_value = max(1, len(decision.text) - 1)
        self.fields["position"].widget.attrs["max"] = max(1, len(decision.text) - 1)

    def clean_position(self) -> int:
        position = self.cleaned_data["position"]
        text = self.decision.text
        if not text[:position].strip() or not text[position:].strip():
            raise forms.ValidationError(_("Båda delarna måste få text."))
        return position


class DecisionMoveForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Flytta till ärende"), queryset=AgendaItem.objects.none())

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting_id=decision.item.meeting_id).exclude(
            pk=decision.item_id
        )


class AssignmentForm(forms.Form):
    assignees_text = forms.CharField(
        label=_("Ansvariga"), max_length=500, required=False, help_text=_("Namnen åtskilda med kommatecken.")
    )
    task = forms.CharField(label=_("Uppdrag"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(
        label=_("Klart senast"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AssignmentDoneForm(forms.Form):
    done_date = forms.DateField(
        label=_("Klart datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    done_comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_done_date(self) -> datetime.date:
        done = self.cleaned_data["done_date"]
        if done > datetime.date.today() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return done


class AttachmentLinkForm(forms.Form):
    reference = forms.CharField(label=_("Hänvisning"), max_length=100, help_text=_("T.ex. ”Bilaga 16”."))


class ConflictResolveForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("keep", _("Behåll det manuella värdet")), ("take", _("Ta det inlästa värdet"))]
    )

    @property
    def take_parsed(self) -> bool:
        return self.cleaned_data["choice"] == "take"
