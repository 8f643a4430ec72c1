"""Content sniffing: what a file is, judged from its bytes and never from its name.

Uploads are named by people ("protokoll.pdf" that is a Word file, "scan.txt" that
is a JPEG), so the name is at most a hint for the message, never for the choice
of reader.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .text import SNIFF_BYTES, TEXT_MIME, decode_text

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP_MIME = "application/zip"
OLE_MIME = "application/x-ole-storage"  # .doc, .xls, .ppt, .msg before 2007
RTF_MIME = "application/rtf"
HTML_MIME = "text/html"
PNG_MIME = "image/png"
JPEG_MIME = "image/jpeg"
TIFF_MIME = "image/tiff"
GIF_MIME = "image/gif"
BMP_MIME = "image/bmp"
WEBP_MIME = "image/webp"
EMPTY_MIME = "application/x-empty"
BINARY_MIME = "application/octet-stream"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG_MIME),
    (b"\xff\xd8\xff", JPEG_MIME),
    (b"II*\x00", TIFF_MIME),
    (b"MM\x00*", TIFF_MIME),
    (b"GIF87a", GIF_MIME),
    (b"GIF89a", GIF_MIME),
    (b"BM", BMP_MIME),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE_MIME),
    (b"{\\rtf", RTF_MIME),
)

# OOXML packages name their main part's content type in [Content_Types].xml.
_OOXML_MAIN_PARTS: tuple[tuple[str, str], ...] = (
    ("wordprocessingml.document.main+xml", DOCX_MIME),
    ("wordprocessingml.template.main+xml", DOCX_MIME),
    ("ms-word.document.macroEnabled.main+xml", DOCX_MIME),
    ("ms-word.template.macroEnabledTemplate.main+xml", DOCX_MIME),
    ("spreadsheetml.sheet.main+xml", XLSX_MIME),
    ("presentationml.presentation.main+xml", PPTX_MIME),
)
_MAX_MANIFEST_BYTES = 1024 * 1024


def sniff_mime_type(path: Path) -> str:
    """Return the MIME type of the file's content.

    Raises OSError if the file cannot be read; the registry turns that into a
    ReadError with a Swedish message.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        return EMPTY_MIME
    # The PDF spec lets the header sit anywhere in the first 1024 bytes (some
    # scanners and mail gateways prepend junk), and PDF readers accept that.
    if b"%PDF-" in head[:1024]:
        return PDF_MIME
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP_MIME
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    complete = path.stat().st_size <= len(head)
    decoded = decode_text(head, complete=complete)
    if decoded is None:
        return BINARY_MIME
    start = decoded.text.lstrip("\ufeff \t\r\n")[:64].lower()
    if start.startswith(("<!doctype html", "<html")):
        return HTML_MIME
    return TEXT_MIME


def _sniff_zip(path: Path) -> str:
    """Tell a DOCX from other zip containers by the package manifest, not the extension."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:  # OpenDocument: the first member names the type
                info = archive.getinfo("mimetype")
                if info.file_size <= 200:
                    return archive.read(info).decode("ascii", "replace").strip() or ZIP_MIME
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size <= _MAX_MANIFEST_BYTES:
                    manifest = archive.read(info).decode("utf-8", "replace")
                    for marker, mime in _OOXML_MAIN_PARTS:
                        if marker in manifest:
                            return mime
    except Exception:  # any damage (bad CRC, zlib, encrypted member) means "not a clean DOCX"
        pass
    # A damaged or foreign zip: the DOCX reader still takes it, to say clearly
    # that it is not a readable Word document.
    return ZIP_MIME
