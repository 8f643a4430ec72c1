"""The parser's values made fit for the columns: dates, times, lengths, one item per number."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import replace

from django.db import models

from minutes.errors import ParseError
from minutes.models import AgendaItem
from minutes.parsing.result import ParsedItem


def meeting_date(value: str | None) -> datetime.date:
    if not value:
        raise ParseError("Inget mötesdatum hittades i dokumentet. Ange mötesdatum och läs in filen igen.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ParseError(f"Mötesdatumet ”{value}” är inte ett giltigt datum.") from exc


def parse_time(value: str | None, warnings: list[str]) -> datetime.time | None:
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
    try:
        if match:
            return datetime.time(int(match[1]), int(match[2]))
    except ValueError:
        pass
    warnings.append(f"Klockslaget ”{value}” kunde inte tolkas och sparades inte.")
    return None


def parse_due(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def clip(value: str | None, model: type[models.Model], field: str) -> str:
    """Trim to the column's max_length: PostgreSQL refuses what SQLite would silently keep."""
    value = (value or "").strip()
    max_length = model._meta.get_field(field).max_length
    if max_length and len(value) > max_length:
        return value[: max_length - 1] + "…"
    return value


def unique_items(items: Sequence[ParsedItem], warnings: list[str]) -> list[ParsedItem]:
    """One item per number (the table's constraint): a repeated number's content joins the first."""
    by_number: dict[str, ParsedItem] = {}
    for item in items:
        number = clip(item.number, AgendaItem, "number") or "?"
        first = by_number.get(number)
        if first is None:
            by_number[number] = replace(
                item,
                number=number,
                decisions=list(item.decisions),
                inline_decisions=list(item.inline_decisions),
                assignments=list(item.assignments),
                attachments=list(item.attachments),
                subitems=list(item.subitems),
            )
            continue
        offset = len(first.decisions)
        first.decisions.extend(item.decisions)
        first.inline_decisions.extend(item.inline_decisions)
        first.assignments.extend(
            replace(a, decision_index=None if a.decision_index is None else a.decision_index + offset)
            for a in item.assignments
        )
        first.attachments.extend(ref for ref in item.attachments if ref not in first.attachments)
        first.subitems.extend(item.subitems)
        if item.body:
            first.body = f"{first.body}\n\n{item.body}".strip()
        warnings.append(
            f"Punkt {number} förekommer mer än en gång; besluten under den senare "
            f"(”{item.title}”) lades under den första."
        )
    return list(by_number.values())
