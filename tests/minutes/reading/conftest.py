"""Builders for the awkward files the reading layer must survive.

Everything is made from the real samples in fixtures/ or from bytes written here,
so the tests need nothing beyond the project's own dependencies (no qpdf, no pypdf).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest

SAMPLES = Path(__file__).resolve().parents[3] / "fixtures" / "samples"
SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


# -- an RC4-encrypted PDF (standard security handler, revision 2) ---------------------------

_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _pad(password: str) -> bytes:
    return (password.encode("latin-1") + _PASSWORD_PAD)[:32]


def encrypted_pdf_bytes(user_password: str, owner_password: str, text: str) -> bytes:
    """A one-page PDF encrypted per PDF 1.7 §7.6.3 (algorithms 2, 3 and 4), 40-bit RC4."""
    file_id = hashlib.md5(b"beslutsarkivet-test").digest()
    permissions = -4  # everything allowed; only the password matters here
    owner_key = hashlib.md5(_pad(owner_password)).digest()[:5]
    o_value = _rc4(owner_key, _pad(user_password))
    key = hashlib.md5(_pad(user_password) + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_value = _rc4(key, _PASSWORD_PAD)

    def encrypt(obj_num: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + obj_num.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return _rc4(object_key, data)

    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    stream = encrypt(4, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <" + u_value.hex().encode()
        + b"> /P %d >>" % permissions,
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id.hex().encode(),
        file_id.hex().encode(),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@pytest.fixture
def encrypted_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "krypterad.pdf"
    path.write_bytes(encrypted_pdf_bytes("hemligt", "agare", "Hemligt protokoll"))
    return path


@pytest.fixture
def zero_page_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "tom.pdf"
    document = pdfium.PdfDocument.new()
    document.save(path)
    document.close()
    return path


@pytest.fixture
def make_pdf(tmp_path: Path):
    """Concatenate pages of sample PDFs: make_pdf([("x.pdf", [0, 1]), ("y.scan.pdf", [2])])."""

    def build(parts: list[tuple[str, list[int]]], name: str = "built.pdf") -> Path:
        target = pdfium.PdfDocument.new()
        for filename, indices in parts:
            source = pdfium.PdfDocument(SAMPLES / filename)
            target.import_pages(source, indices)
            source.close()
        path = tmp_path / name
        target.save(path)
        target.close()
        return path

    return build


# -- PNGs whose header promises more pixels than anyone should decode ------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG declaring width × height grey pixels (its pixel data is not complete)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _png_chunk(b"IEND", b"")
    )
