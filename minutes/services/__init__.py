"""The only writers of minutes: register a file, read and parse it, store the meeting.

meeting_ingest(path=...)            register + process, the one-call entry point
document_register(path=...)         store the file, keyed by SHA-256
document_process(document=...)      read → parse → meeting_store; failures marked on the document
meeting_store(parsed=...)           ParsedMinutes → Meeting, merged with human edits
networks_for_parser()               the Network table as the parser's KnownNetworks
"""

from __future__ import annotations

from .documents import document_process, document_register, meeting_ingest, networks_for_parser
from .results import UNCHANGED_MESSAGE, IngestConflict, IngestCounts, IngestResult, RowCounts
from .store import meeting_store

__all__ = [
    "UNCHANGED_MESSAGE",
    "IngestConflict",
    "IngestCounts",
    "IngestResult",
    "RowCounts",
    "document_process",
    "document_register",
    "meeting_ingest",
    "meeting_store",
    "networks_for_parser",
]
