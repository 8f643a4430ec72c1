"""ParsedMinutes: the parser's output, shaped exactly like spec/minutes-json.md.

Plain dataclasses with no Django imports. Line spans (0-based, inclusive, counted in the
text the parser was given, split on "\\n") keep provenance so the UI can show the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ITEM_STATUSES = ("handled", "tabled", "withdrawn", "referred")
DECISION_KINDS = (
    "file",
    "approve",
    "reject",
    "assign",
    "appoint",
    "refer",
    "postpone",
    "recommend",
    "procedural",
    "other",
)


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class ParsedAttendee:
    name: str
    organization: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "organization": self.organization}


@dataclass(slots=True)
class ParsedDecision:
    text: str
    kind: str = "other"
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind}


@dataclass(slots=True)
class ParsedInlineDecision:
    text: str
    kind: str = "other"
    span: Span | None = None


@dataclass(slots=True)
class ParsedAssignment:
    assignees: list[str]
    task: str
    due: str | None = None  # ISO date
    # Index into the item's ``decisions`` when the task came from a formal clause.
    decision_index: int | None = None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"assignees": list(self.assignees), "task": self.task, "due": self.due}


@dataclass(slots=True)
class ParsedSubItem:
    label: str
    title: str

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title}


@dataclass(slots=True)
class ParsedItem:
    number: str
    title: str
    presenters: list[str] = field(default_factory=list)
    status: str = "handled"
    decisions: list[ParsedDecision] = field(default_factory=list)
    inline_decisions: list[ParsedInlineDecision] = field(default_factory=list)
    assignments: list[ParsedAssignment] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    subitems: list[ParsedSubItem] = field(default_factory=list)
    body: str = ""
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "presenters": list(self.presenters),
            "status": self.status,
            "decisions": [d.to_json() for d in self.decisions],
            "inline_decisions": [d.text for d in self.inline_decisions],
            "assignments": [a.to_json() for a in self.assignments],
            "attachments": list(self.attachments),
            "subitems": [s.to_json() for s in self.subitems],
        }


@dataclass(slots=True)
class ParsedMinutes:
    source: str
    network: str | None
    title: str
    date: str | None  # ISO date
    start_time: str | None = None  # HH:MM
    end_time: str | None = None
    location: str | None = None
    attendees: list[ParsedAttendee] = field(default_factory=list)
    absent_organizations: list[str] = field(default_factory=list)
    previous_minutes: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    # Not part of the interchange format: the body's name as written, and what a human should check.
    network_name: str | None = None
    warnings: list[str] = field(default_factory=list)
    parser_version: str = ""

    def to_json(self) -> dict[str, Any]:
        """The exact JSON object of spec/minutes-json.md."""
        return {
            "source": self.source,
            "network": self.network,
            "title": self.title,
            "date": self.date,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "location": self.location,
            "attendees": [a.to_json() for a in self.attendees],
            "absent_organizations": list(self.absent_organizations),
            "previous_minutes": list(self.previous_minutes),
            "items": [i.to_json() for i in self.items],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedMinutes:
        """Build from the interchange JSON (e.g. a gold file); spans and warnings stay empty."""
        items = []
        for raw in data.get("items", []):
            decisions = [ParsedDecision(d["text"], d.get("kind", "other")) for d in raw.get("decisions", [])]
            items.append(
                ParsedItem(
                    number=str(raw["number"]),
                    title=raw.get("title", ""),
                    presenters=list(raw.get("presenters", [])),
                    status=raw.get("status", "handled"),
                    decisions=decisions,
                    inline_decisions=[ParsedInlineDecision(t) for t in raw.get("inline_decisions", [])],
                    assignments=[
                        ParsedAssignment(list(a.get("assignees", [])), a.get("task", ""), a.get("due"))
                        for a in raw.get("assignments", [])
                    ],
                    attachments=list(raw.get("attachments", [])),
                    subitems=[ParsedSubItem(s["label"], s["title"]) for s in raw.get("subitems", [])],
                )
            )
        return cls(
            source=data.get("source", ""),
            network=data.get("network"),
            title=data.get("title", ""),
            date=data.get("date"),
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
            location=data.get("location"),
            attendees=[ParsedAttendee(a["name"], a.get("organization")) for a in data.get("attendees", [])],
            absent_organizations=list(data.get("absent_organizations", [])),
            previous_minutes=list(data.get("previous_minutes", [])),
            items=items,
        )
