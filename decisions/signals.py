"""Signal handlers that keep each decision's search document current (connected in DecisionsConfig.ready).

Why signals and not overridden ``save()`` methods: a decision's document is built from rows
of two apps — its own text, the title of its ``minutes.AgendaItem`` and the tasks of its
assignments — and the minutes app should not know that decisions are searchable. Every
handler runs after the row is written and refreshes with one set-based UPDATE
(:func:`decisions.search.search_documents_refresh`), so it neither recurses into ``save()``
nor adds history versions. Writes that bypass signals (``bulk_create``, ``QuerySet.update``)
must call that function themselves.
"""

from __future__ import annotations

from typing import Any

from .search import register_sqlite_functions, search_documents_refresh

# Fields a decision's search document is made of, per model.
DECISION_FIELDS = frozenset({"text", "item"})
ITEM_FIELDS = frozenset({"title"})
ASSIGNMENT_FIELDS = frozenset({"task", "decision", "item"})


def _touches(update_fields: frozenset[str] | None, fields: frozenset[str]) -> bool:
    return update_fields is None or not fields.isdisjoint(update_fields)


def _cascaded(instance: Any, origin: Any) -> bool:
    """True when the row goes because something else (its item, its meeting) is being deleted."""
    model = getattr(origin, "model", None) or type(origin)
    return origin is not None and not isinstance(instance, model)


# post_save(sender=Decision, instance, created, raw, using, update_fields)
def decision_saved(
    sender: Any, instance: Any, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if _touches(update_fields, DECISION_FIELDS):
        search_documents_refresh(decision_ids=[instance.pk], using=kwargs.get("using") or "default")


# post_delete(sender=Decision, instance, using, origin): the decision's assignments have just
# been set to "no decision", so they now belong to every other decision of the item.
def decision_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _cascaded(instance, kwargs.get("origin")):
        search_documents_refresh(item_ids=[instance.item_id], using=kwargs.get("using") or "default")


# post_save(sender=AgendaItem, instance, created, raw, using, update_fields)
def item_saved(
    sender: Any,
    instance: Any,
    created: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if not created and _touches(update_fields, ITEM_FIELDS):
        search_documents_refresh(item_ids=[instance.pk], using=kwargs.get("using") or "default")


# pre_save(sender=Assignment, instance, raw, using, update_fields): remember where the row was,
# so that moving an assignment also refreshes the decisions it left.
def assignment_saving(
    sender: Any, instance: Any, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    instance._search_previous = None
    if instance.pk is None or instance._state.adding or not _touches(update_fields, ASSIGNMENT_FIELDS):
        return
    instance._search_previous = (
        sender._default_manager.using(kwargs.get("using") or "default")
        .filter(pk=instance.pk)
        .values_list("item_id", "decision_id")
        .first()
    )


def _holders(item_id: int | None, decision_id: int | None) -> tuple[set[int], set[int]]:
    """(item ids, decision ids) whose decisions carry an assignment's task in their document."""
    if decision_id is not None:
        return set(), {decision_id}
    return ({item_id} if item_id is not None else set()), set()


# post_save(sender=Assignment, instance, created, raw, using, update_fields)
def assignment_saved(
    sender: Any, instance: Any, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if not _touches(update_fields, ASSIGNMENT_FIELDS):
        return
    item_ids, decision_ids = _holders(instance.item_id, instance.decision_id)
    previous = getattr(instance, "_search_previous", None)
    if previous is not None:
        old_items, old_decisions = _holders(*previous)
        item_ids |= old_items
        decision_ids |= old_decisions
    search_documents_refresh(
        item_ids=item_ids, decision_ids=decision_ids, using=kwargs.get("using") or "default"
    )


# post_delete(sender=Assignment, instance, using, origin)
def assignment_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _cascaded(instance, kwargs.get("origin")):
        item_ids, decision_ids = _holders(instance.item_id, instance.decision_id)
        search_documents_refresh(
            item_ids=item_ids, decision_ids=decision_ids, using=kwargs.get("using") or "default"
        )


# connection_created(sender=DatabaseWrapper class, connection)
def connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    register_sqlite_functions(connection)
