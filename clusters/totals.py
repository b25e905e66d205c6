"""Totals per theme (published practices, published entries), kept on write.

Counting the links of a theme means reading every practice it tags (tens of thousands
at scale) to check that it is published; the themes page would do it for every theme on
every render. Instead each write recounts only the themes it touched, in its own
transaction: a change of themes (the ``m2m_changed`` signal, which sees the themes
removed as well as those added), a change of state or publication (the services'
``practices_index`` and ``entry_index`` call ``themes_of_*_changed``), a deletion.
Bulk loads that bypass the ORM call ``theme_totals_refresh()`` at the end. The services
that write several of these at once recount once, at the end (``recounted_once``).
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, pre_delete

from clusters.models import DirectoryEntry, Practice, ThemeTotal
from reference.models import Theme

_batch = threading.local()


@contextmanager
def recounted_once():
    """Within this block (a service that sets themes, then reindexes), the themes its
    writes touch are recounted once, at the end, instead of at each step. Also a
    decorator; nested blocks recount with the outermost."""
    if getattr(_batch, "ids", None) is not None:
        yield
        return
    _batch.ids, _batch.every = set(), False
    try:
        yield
        ids, every = _batch.ids, _batch.every
    finally:
        _batch.ids = None
    if every or ids:
        theme_totals_refresh(None if every else ids)


def theme_totals_refresh(theme_ids: Iterable[int] | None = None) -> None:
    """Recount the totals of these themes (all of them when None), in one statement;
    inside ``recounted_once``, at the end of the block."""
    if getattr(_batch, "ids", None) is not None:
        if theme_ids is None:
            _batch.every = True
        else:
            _batch.ids.update(theme_ids)
        return
    themes = Theme.objects.all() if theme_ids is None else Theme.objects.filter(
        pk__in=list(theme_ids)
    )  # fmt: skip
    rows = themes.annotate(
        n_practices=Count("practices", filter=Q(practices__state=Practice.State.PUBLISHED)),
    ).values_list("pk", "n_practices")
    entries = dict(
        themes.annotate(n_entries=Count("entries", filter=Q(entries__published=True))).values_list(
            "pk", "n_entries"
        )
    )
    ThemeTotal.objects.bulk_create(
        [ThemeTotal(theme_id=pk, practices=n, entries=entries.get(pk, 0)) for pk, n in rows],
        update_conflicts=True,
        unique_fields=["theme"],
        update_fields=["practices", "entries"],
    )


def theme_ids_of(model):
    """The sorted ids of a practice's or an entry's themes, as an expression over its
    rows: the copy that the practices' filters and the entries' potential partners read
    without joining the links."""
    owner = f"{model._meta.model_name}_id"
    return Coalesce(
        Subquery(
            model.themes.through.objects.filter(**{owner: OuterRef("pk")})
            .order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(ids=ArrayAgg("theme_id", order_by="theme_id"))
            .values("ids")[:1]
        ),
        Value([], output_field=ArrayField(IntegerField())),
    )


def theme_ids_refresh(model, ids) -> None:
    model.objects.filter(pk__in=ids).update(theme_ids=theme_ids_of(model))


def themes_of_practices_changed(practice_ids) -> None:
    """Their state may have changed: recount the themes they carry (ids or a query)."""
    ids = Practice.themes.through.objects.filter(practice_id__in=practice_ids)
    theme_totals_refresh(set(ids.values_list("theme_id", flat=True)))


def themes_of_entries_changed(entry_ids) -> None:
    ids = DirectoryEntry.themes.through.objects.filter(directoryentry_id__in=entry_ids)
    theme_totals_refresh(set(ids.values_list("theme_id", flat=True)))


def _links_changed(sender, instance, action, reverse, pk_set, model, **kwargs) -> None:
    tagged = next(m for m in (Practice, DirectoryEntry) if sender is m.themes.through)
    if action in ("post_add", "post_remove", "post_clear"):
        # The rows' own copy of their themes' ids.
        if not reverse:
            theme_ids_refresh(tagged, [instance.pk])
            # The instance in hand too: what is read from it next (its potential partners,
            # its page) sees its new themes.
            owner = f"{tagged._meta.model_name}_id"
            instance.theme_ids = sorted(
                tagged.themes.through.objects.filter(**{owner: instance.pk}).values_list(
                    "theme_id", flat=True
                )
            )
        elif action != "post_clear":
            theme_ids_refresh(tagged, pk_set or [])
        else:
            theme_ids_refresh(tagged, getattr(instance, "_tagged_cleared", []))
    if action == "pre_clear" and reverse:
        instance._tagged_cleared = list(
            tagged.objects.filter(themes=instance).values_list("pk", flat=True)
        )
    if action in ("post_add", "post_remove"):
        theme_totals_refresh([instance.pk] if reverse else pk_set or [])
    elif action == "pre_clear":
        if reverse:
            theme_totals_refresh([instance.pk])
        else:
            # Recount after the clear: remember which themes it removes.
            instance._themes_cleared = list(instance.themes.values_list("pk", flat=True))
    elif action == "post_clear" and not reverse:
        theme_totals_refresh(getattr(instance, "_themes_cleared", None))


def _deleting(sender, instance, **kwargs) -> None:
    # Proxies (Organisation, Territory, PracticeToReview) send the signal as themselves.
    if isinstance(instance, Practice | DirectoryEntry) and instance.pk:
        instance._themes_deleted = list(instance.themes.values_list("pk", flat=True))


def _deleted(sender, instance, **kwargs) -> None:
    if themes := getattr(instance, "_themes_deleted", None):
        theme_totals_refresh(themes)


def connect_signals() -> None:
    for model in (Practice, DirectoryEntry):
        m2m_changed.connect(
            _links_changed, sender=model.themes.through, dispatch_uid=f"totals-{model.__name__}"
        )
    pre_delete.connect(_deleting, dispatch_uid="theme-totals-deleting")
    post_delete.connect(_deleted, dispatch_uid="theme-totals-deleted")
