"""Queue uploaded documents again: failed ones, and (with --stalled) those a dead worker left behind."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from minutes.models import SourceDocument
from minutes.uploads import can_retry, document_retry


class Command(BaseCommand):
    help = (
        "Köar om misslyckade dokument, och med --stalled även dokument som fastnat "
        "(Re-queues failed documents; with --stalled also those stuck for 30 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stalled", action="store_true", help="Also pending/processing documents that stalled."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be queued.")

    def handle(self, *args, stalled: bool, dry_run: bool, **options):
        statuses = [SourceDocument.Status.FAILED]
        if stalled:
            statuses += [SourceDocument.Status.PENDING, SourceDocument.Status.PROCESSING]
        queued = 0
        for document in SourceDocument.objects.active().filter(status__in=statuses).order_by("pk"):
            if not can_retry(document):
                continue
            self.stdout.write(f"{document.pk}\t{document.get_status_display()}\t{document}")
            if not dry_run:
                document_retry(document=document)
            queued += 1
        verb = "skulle köas" if dry_run else "köades"
        self.stdout.write(self.style.SUCCESS(f"{queued} dokument {verb} om."))
