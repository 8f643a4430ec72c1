"""Upload end to end (Immediate task backend): document → draft meeting → review → publish → readers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import Decision
from minutes.models import Attachment, Meeting, SourceDocument

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("seeds", "d1_valfardsradet_2019-11-20.txt"),
        ("samples", "d1_valfardsradet_2019-11-20.docx"),
        ("samples", "d1_valfardsradet_2019-11-20.pdf"),
    ],
)
def test_upload_reads_file_into_a_draft_that_publishing_shows_to_readers(
    client, upload, fixtures_dir, secretary, reader, valfardsradet, folder, name
) -> None:
    client.force_login(secretary)

    response = upload(fixtures_dir / folder / name, network=valfardsradet)

    document = SourceDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:document_status", kwargs={"pk": document.pk})
    assert document.status == SourceDocument.Status.READY, document.error_message
    assert document.uploaded_by == secretary
    assert document.pages_done == document.pages_total
    meeting = Meeting.objects.get()
    assert meeting.network == valfardsradet
    assert str(meeting.date) == "2019-11-20"
    assert meeting.is_published is False
    assert Decision.objects.filter(item__meeting=meeting).exists()

    status = client.get(response["Location"])
    assert status.status_code == 200
    review_url = reverse("manage:meeting_review", kwargs={"pk": meeting.pk})
    assert review_url.encode() in status.content
    assert b'http-equiv="refresh"' not in status.content  # ready: no more refreshing

    review = client.get(review_url)
    assert review.status_code == 200
    assert meeting.title.encode() in review.content
    assert b"source-text" in review.content
    assert b"Publicera" in review.content

    # A draft is invisible to readers …
    assert not Meeting.objects.published().exists()
    client.force_login(reader)
    assert client.get(reverse("manage:document_download", kwargs={"pk": document.pk})).status_code == 403

    # … until the secretary publishes it.
    client.force_login(secretary)
    assert client.post(reverse("manage:meeting_publish", kwargs={"pk": meeting.pk})).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published
    assert list(Meeting.objects.published()) == [meeting]
    client.force_login(reader)
    assert client.get(reverse("manage:document_download", kwargs={"pk": document.pk})).status_code == 200


# --- duplicates -------------------------------------------------------------------------------------


def test_same_file_twice_leads_to_the_existing_document(
    client, upload, seeds, secretary, valfardsradet
) -> None:
    client.force_login(secretary)
    path = seeds / "d1_valfardsradet_2019-11-20.txt"
    first = upload(path, network=valfardsradet)
    second = upload(path, network=valfardsradet)

    document = SourceDocument.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("manage:document_status", kwargs={"pk": document.pk})
    )
    assert Meeting.objects.count() == 1
    messages = [str(m) for m in second.wsgi_request._messages]
    assert any("redan uppladdad" in m for m in messages)


def test_duplicate_upload_still_adds_new_attachments(
    client, upload, seeds, samples, secretary, valfardsradet
) -> None:
    client.force_login(secretary)
    path = seeds / "d1_valfardsradet_2019-11-20.txt"
    upload(path, network=valfardsradet)
    upload(path, network=valfardsradet, attachments=[samples / "d3_schnv_2021-09-17.pdf"])

    meeting = Meeting.objects.get()
    attachment = meeting.attachments.exclude(file="").get()
    assert attachment.original_name == "d3_schnv_2021-09-17.pdf"
    assert attachment.mime_type == "application/pdf"


# --- attachments ------------------------------------------------------------------------------------


def test_attachments_are_stored_and_waiting_ones_join_the_meeting(
    client, upload, seeds, samples, secretary, valfardsradet, tmp_path
) -> None:
    client.force_login(secretary)
    bilaga = tmp_path / "Bilaga 3 budget.docx"
    bilaga.write_bytes((samples / "d3_schnv_2021-09-17.docx").read_bytes())
    upload(
        seeds / "d1_valfardsradet_2019-11-20.txt",
        network=valfardsradet,
        attachments=[bilaga, samples / "d4_lanschefsnatverket_2021-06-11.pdf"],
    )

    meeting = Meeting.objects.get()
    files = meeting.attachments.exclude(file="").order_by("pk")
    assert [a.original_name for a in files] == [
        "Bilaga 3 budget.docx",
        "d4_lanschefsnatverket_2021-06-11.pdf",
    ]
    # Named by its file name, it fills the row of the reference the minutes make ("bilaga 3").
    assert files[0].reference.casefold() == "bilaga 3"
    assert files[0].item is not None
    assert files[1].reference == ""  # waits for the secretary to link it
    assert SourceDocument.objects.get().upload_options["attachments"] == []


# --- bad uploads ------------------------------------------------------------------------------------


def _post(client, path, network, **fields):
    with path.open("rb") as handle:
        return client.post(reverse("manage:upload"), {"file": handle, "network": network.pk, **fields})


def _errors(response) -> str:
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _nothing_saved() -> None:
    assert not SourceDocument.objects.exists()
    assert not Meeting.objects.exists()
    assert not Attachment.objects.exists()


def test_empty_file_is_refused(client, secretary, valfardsradet, tmp_path) -> None:
    client.force_login(secretary)
    path = tmp_path / "tom.txt"
    path.write_bytes(b"")
    assert "tom" in _errors(_post(client, path, valfardsradet))
    _nothing_saved()


def test_missing_file_is_refused(client, secretary, valfardsradet) -> None:
    client.force_login(secretary)
    response = client.post(reverse("manage:upload"), {"network": valfardsradet.pk})
    assert "Välj filen" in _errors(response)
    _nothing_saved()


def test_garbage_is_refused_whatever_its_name(client, secretary, valfardsradet, tmp_path) -> None:
    client.force_login(secretary)
    path = tmp_path / "protokoll.docx"
    path.write_bytes(bytes(range(256)) * 64)
    message = _errors(_post(client, path, valfardsradet))
    assert "varken läsbar text eller ett känt dokumentformat" in message
    _nothing_saved()


def test_exe_renamed_pdf_is_refused(client, secretary, valfardsradet, tmp_path) -> None:
    client.force_login(secretary)
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 16)
    message = _errors(_post(client, path, valfardsradet))
    assert "Tillåtna typer" in message
    _nothing_saved()


def test_wrong_kind_of_document_is_refused_with_the_reason(
    client, secretary, valfardsradet, tmp_path
) -> None:
    client.force_login(secretary)
    gif = tmp_path / "skanning.png"
    gif.write_bytes(b"GIF89a" + b"\x00" * 100)
    assert "GIF-bilder stöds inte" in _errors(_post(client, gif, valfardsradet))
    _nothing_saved()


def test_pdf_renamed_txt_is_read_as_a_pdf(
    client, upload, samples, secretary, valfardsradet, tmp_path
) -> None:
    client.force_login(secretary)
    renamed = tmp_path / "d1_valfardsradet_2019-11-20.txt"
    renamed.write_bytes((samples / "d1_valfardsradet_2019-11-20.pdf").read_bytes())
    upload(renamed, network=valfardsradet)
    document = SourceDocument.objects.get()
    assert document.mime_type == "application/pdf"
    assert document.read_method == SourceDocument.ReadMethod.PDF
    assert document.status == SourceDocument.Status.READY


def test_too_big_file_is_refused(client, secretary, valfardsradet, seeds, settings) -> None:
    settings.BESLUTSARKIVET_UPLOAD_MAX_BYTES = 1000
    client.force_login(secretary)
    message = _errors(_post(client, seeds / "d1_valfardsradet_2019-11-20.txt", valfardsradet))
    assert "för stor" in message and "Största tillåtna storlek" in message
    _nothing_saved()


def test_too_big_attachment_is_refused(client, secretary, valfardsradet, seeds, samples, settings) -> None:
    settings.BESLUTSARKIVET_UPLOAD_MAX_BYTES = 10_000
    client.force_login(secretary)
    with (
        (seeds / "d1_valfardsradet_2019-11-20.txt").open("rb") as minutes_file,
        (samples / "d1_valfardsradet_2019-11-20.pdf").open("rb") as big,
    ):
        response = client.post(
            reverse("manage:upload"),
            {"file": minutes_file, "attachments": [big], "network": valfardsradet.pk},
        )
    assert "Bilagan" in _errors(response)
    _nothing_saved()


def test_too_many_pages_is_refused(client, secretary, valfardsradet, samples, settings) -> None:
    settings.BESLUTSARKIVET_MAX_PAGES = 1
    client.force_login(secretary)
    message = _errors(_post(client, samples / "d1_valfardsradet_2019-11-20.pdf", valfardsradet))
    assert "högst 1 kan läsas in" in message
    _nothing_saved()


def _zip_bomb(path) -> None:
    import zipfile

    manifest = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", manifest)
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (20 * 1024 * 1024) + b"</w:document>")


def test_docx_zip_bomb_is_refused_with_a_swedish_message(client, secretary, valfardsradet, tmp_path) -> None:
    client.force_login(secretary)
    bomb = tmp_path / "bomb.docx"
    _zip_bomb(bomb)
    assert bomb.stat().st_size < 100_000
    assert "misstänkt zip-bomb" in _errors(_post(client, bomb, valfardsradet))
    _nothing_saved()


def test_image_over_the_pixel_limit_is_refused(client, secretary, valfardsradet, tmp_path) -> None:
    import struct
    import zlib

    # A PNG header claiming 20 000 × 20 000 pixels (400 Mpx); the pixels need never exist.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20_000, 20_000, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b"")
    path = tmp_path / "jatte.png"
    path.write_bytes(png)
    client.force_login(secretary)
    assert "för stor" in _errors(_post(client, path, valfardsradet))
    _nothing_saved()


def test_encrypted_pdf_is_refused(client, secretary, valfardsradet, tmp_path) -> None:
    from tests.minutes.reading.conftest import encrypted_pdf_bytes

    client.force_login(secretary)
    path = tmp_path / "krypterad.pdf"
    path.write_bytes(encrypted_pdf_bytes("hemligt", "agare", "Hemligt"))
    assert "krypterad" in _errors(_post(client, path, valfardsradet))
    _nothing_saved()


def test_malformed_pdf_is_refused(client, secretary, valfardsradet, samples, tmp_path) -> None:
    client.force_login(secretary)
    path = tmp_path / "trasig.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    assert "skadad" in _errors(_post(client, path, valfardsradet))
    _nothing_saved()


def test_upload_form_presets_the_secretarys_network(client, secretary, valfardsradet) -> None:
    client.force_login(secretary)
    form = client.get(reverse("manage:upload")).context["form"]
    assert form.initial["network"] == valfardsradet
    assert list(form.fields["network"].queryset) == [valfardsradet]
    assert "multiple" in str(form["attachments"])


def test_upload_requires_csrf(secretary, valfardsradet, seeds) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    with (seeds / "d1_valfardsradet_2019-11-20.txt").open("rb") as handle:
        response = client.post(reverse("manage:upload"), {"file": handle, "network": valfardsradet.pk})
    assert response.status_code == 403
    _nothing_saved()
