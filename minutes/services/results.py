"""What an ingest returns: plain dataclasses the command, upload views and tasks can show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minutes.models import Conflict, Meeting, SourceDocument

UNCHANGED_MESSAGE = "oförändrad: samma fil har redan lästs in"


@dataclass(slots=True)
class RowCounts:
    """What happened to one kind of row in one ingest.

    ``kept``: rows missing from the new parse that stayed because a human owns them.
    """

    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass(slots=True)
class IngestCounts:
    items: RowCounts = field(default_factory=RowCounts)
    decisions: RowCounts = field(default_factory=RowCounts)
    assignments: RowCounts = field(default_factory=RowCounts)
    attendance: RowCounts = field(default_factory=RowCounts)
    subitems: RowCounts = field(default_factory=RowCounts)
    attachments: RowCounts = field(default_factory=RowCounts)

    @property
    def changed(self) -> bool:
        return any(
            counts.changed
            for counts in (
                self.items,
                self.decisions,
                self.assignments,
                self.attendance,
                self.subitems,
                self.attachments,
            )
        )


@dataclass(frozen=True, slots=True)
class IngestConflict:
    """A stored (or still unresolved, identical) Conflict plus where it is, in words."""

    conflict: Conflict
    where: str  # e.g. "Beslut 2 i punkt 6"
    field_label: str  # e.g. "texten"

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.field_label}: manuellt ”{_short(self.conflict.human_value)}”, "
            f"inläst ”{_short(self.conflict.parsed_value)}”"
        )


@dataclass(slots=True)
class IngestResult:
    """The outcome of storing one set of parsed minutes.

    ``created``: the meeting is new. ``unchanged``: the same file (same SHA-256) had
    already been read, so nothing was written. Otherwise an existing meeting was
    merged with the new version; ``counts`` says how.
    """

    meeting: Meeting
    document: SourceDocument | None = None
    created: bool = False
    unchanged: bool = False
    network_created: bool = False
    counts: IngestCounts = field(default_factory=IngestCounts)
    meeting_updated: bool = False
    kept_human_edits: list[str] = field(default_factory=list)
    conflicts: list[IngestConflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """One Swedish word or phrase for lists and log lines."""
        if self.unchanged:
            return UNCHANGED_MESSAGE
        if self.created:
            return "nytt möte"
        return "uppdaterat möte"


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else f"{value[: limit - 1]}…"
