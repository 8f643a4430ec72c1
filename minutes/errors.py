"""One error hierarchy for reading, parsing and ingest.

Every error carries a Swedish message meant for the person who uploaded the file;
commands, views and tasks show ``str(error)`` as it is.
"""

from __future__ import annotations


class IngestError(Exception):
    """Base for everything that can go wrong between an uploaded file and stored minutes."""

    default_message = "Dokumentet kunde inte läsas in."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class ReadError(IngestError):
    default_message = "Filen kunde inte läsas."


class UnsupportedFileType(ReadError):
    default_message = "Filtypen stöds inte. Tillåtna typer: .txt, .pdf, .docx, .png, .jpg, .tif."


class EmptyDocument(ReadError):
    default_message = "Dokumentet är tomt eller innehåller ingen läsbar text."


class EncryptedDocument(ReadError):
    default_message = "PDF-filen är krypterad eller lösenordsskyddad och kan inte läsas."


class CorruptDocument(ReadError):
    default_message = "Filen är skadad eller ofullständig och kan inte läsas."


class DocumentTooLarge(ReadError):
    default_message = "Dokumentet är för stort."


class OcrUnavailable(ReadError):
    default_message = "Textigenkänning (tesseract med svensk språkmodell) är inte installerad."


class OcrFailed(ReadError):
    """Tesseract or the page renderer ran but failed (crash, time-out) – distinct from not installed."""

    default_message = "Textigenkänningen (OCR) misslyckades och dokumentet kunde inte läsas."


class DocumentNotFound(ReadError):
    default_message = "Filen finns inte eller kunde inte öppnas."


class ParseError(IngestError):
    default_message = "Texten kunde inte tolkas som minnesanteckningar."
