"""Text → ParsedMinutes. Plain Python: nothing here imports Django."""

from __future__ import annotations

from minutes.parsing.result import ParsedMinutes

PARSER_VERSION = "1.0"


def parse_minutes(text: str, *, source: str = "", meeting_date_hint: str | None = None) -> ParsedMinutes:
    """Parse the text of one minutes document. Raises minutes.errors.ParseError on empty text."""
    from minutes.parsing.document import parse_document

    return parse_document(text, source=source, meeting_date_hint=meeting_date_hint)


__all__ = ["PARSER_VERSION", "ParsedMinutes", "parse_minutes"]
