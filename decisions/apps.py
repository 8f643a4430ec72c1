from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Beslut")

    def ready(self) -> None:
        # Keep the search documents current (decisions.signals explains why signals).
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save, pre_save

        from minutes.models import AgendaItem

        from . import signals
        from .models import Assignment, Decision

        uid = "decisions.search."
        post_save.connect(signals.decision_saved, sender=Decision, dispatch_uid=uid + "decision_saved")
        post_delete.connect(signals.decision_deleted, sender=Decision, dispatch_uid=uid + "decision_deleted")
        post_save.connect(signals.item_saved, sender=AgendaItem, dispatch_uid=uid + "item_saved")
        pre_save.connect(signals.assignment_saving, sender=Assignment, dispatch_uid=uid + "assignment_saving")
        post_save.connect(signals.assignment_saved, sender=Assignment, dispatch_uid=uid + "assignment_saved")
        post_delete.connect(
            signals.assignment_deleted, sender=Assignment, dispatch_uid=uid + "assignment_deleted"
        )
        connection_created.connect(signals.connection_created, dispatch_uid=uid + "sqlite_functions")
