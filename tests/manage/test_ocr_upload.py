"""A scanned upload read with tesseract (the smallest scan, to spare the shared CPUs)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minutes.models import Meeting, SourceDocument

SMALLEST_SCAN = "d3_schnv_2021-09-17.scan.pdf"

pytestmark = [pytest.mark.django_db, pytest.mark.ocr, pytest.mark.slow]


def test_scanned_pdf_upload_is_ocred_into_a_draft(client, upload, samples, schnv, settings) -> None:
    from networks.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    settings.BESLUTSARKIVET_OCR_WORKERS = 1
    user = MembershipFactory(
        user=UserFactory(username="schnv-sekr"), network=schnv, role=Membership.Role.SECRETARY
    ).user
    client.force_login(user)

    response = upload(samples / SMALLEST_SCAN, network=schnv)

    document = SourceDocument.objects.get()
    assert document.status == SourceDocument.Status.READY, document.error_message
    assert document.read_method == SourceDocument.ReadMethod.OCR
    assert document.page_count == document.pages_total == document.pages_done == 3
    assert document.ocr_confidence is not None
    meeting = Meeting.objects.get()
    assert meeting.network == schnv and str(meeting.date) == "2021-09-17"
    assert not meeting.is_published
    review = client.get(reverse("manage:meeting_review", kwargs={"pk": meeting.pk}))
    assert review.status_code == 200
    assert "OCR-säkerhet" in review.content.decode()
    assert response["Location"] == reverse("manage:document_status", kwargs={"pk": document.pk})
