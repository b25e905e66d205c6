"""Reads of the mementos. What the public sees is published; the staff see everything, as
the public would (a preview); representatives see the case studies about their structure
that they are asked to sign off."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from clusters.models import DirectoryEntry, Membership, Practice
from core.diff import word_diff
from core.search import apply_search, clean_query
from events.models import Event
from mementos.models import Draft, Memento, Monograph, MonographReview, Section
from reference.models import Theme


def can_preview(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("mementos.view_memento"))


def visible_mementos(user) -> QuerySet:
    """The mementos this person may read: published, or all of them for the staff."""
    mementos = Memento.objects.all()
    return mementos if can_preview(user) else mementos.published()


def memento_list(*, query: str = "") -> dict:
    """Published mementos (with their partners) and planned ones, for /mementos/; with a
    query, the published mementos and case studies that match, best first."""
    partners = Prefetch(
        "lead_partners", queryset=DirectoryEntry.objects.only("pk", "name", "slug", "category")
    )
    published = Memento.objects.published().prefetch_related(partners).order_by("number")
    text = clean_query(query)
    monographs = Monograph.objects.none()
    if text:
        published = apply_search(published, text).order_by("-rank", "number")
        monographs = (
            apply_search(Monograph.objects.filter(memento__status=Memento.Status.PUBLISHED), text)
            .select_related("memento")
            .order_by("-rank", "pk")[:20]
        )
    return {
        "published": list(published),
        "planned": list(Memento.objects.planned().prefetch_related(partners).order_by("number")),
        "monographs": list(monographs),
        "query": text,
    }


def memento_for(*, user, slug: str) -> Memento:
    """A memento by its address: 404 unless published, or the person is staff (preview)."""
    memento = visible_mementos(user).filter(slug=slug).first()
    if memento is None:
        raise Http404
    return memento


@dataclass
class MementoPage:
    memento: Memento
    themes: list
    sections: list
    monographs: list
    partners: list
    practices: list
    structures: list
    events: list


def memento_page(memento: Memento) -> MementoPage:
    """Everything the memento page shows, in a fixed number of queries."""
    monographs = list(
        memento.monographs.select_related("entry").only(
            "pk", "title", "slug", "summary", "position", "memento_id", "entry__name",
            "entry__slug", "entry__category", "entry__kind", "entry__published",
        )
    )  # fmt: skip
    # The memento's own practices and those of its case studies, in one query.
    practices = list(
        Practice.objects.published()
        .filter(
            # A union of the two link tables: an OR of two IN made PostgreSQL read them all.
            pk__in=Memento.practices.through.objects.filter(memento=memento)
            .values("practice_id")
            .union(
                Monograph.practices.through.objects.filter(monograph__memento=memento).values(
                    "practice_id"
                )
            )
        )
        .only("pk", "title", "slug", "summary")
        .order_by("title")
    )
    partners = list(memento.lead_partners.published().only("pk", "name", "slug", "category"))
    described = [m.entry for m in monographs if m.entry_id and m.entry.published]
    structures = sorted({e.pk: e for e in described}.values(), key=lambda e: e.name)
    events = list(
        Event.objects.published()
        .filter(workshops__mementos=memento)
        .distinct()
        .only("pk", "title", "slug", "starts_at")
        .order_by("-starts_at")
    )
    return MementoPage(
        memento=memento,
        themes=list(memento.themes.order_by("position", "name")),
        sections=list(memento.sections.all()),
        monographs=monographs,
        partners=partners,
        practices=practices,
        structures=structures,
        events=events,
    )


def monograph_for(*, user, slug: str, monograph: str) -> Monograph:
    found = (
        Monograph.objects.filter(memento__in=visible_mementos(user), memento__slug=slug)
        .filter(slug=monograph)
        .select_related("memento", "entry")
        .first()
    )
    if found is None:
        raise Http404
    return found


def monograph_themes(monograph: Monograph) -> list[Theme]:
    """Its memento's themes and those of its practices: the theme pages that list it."""
    # Two EXISTS on the link tables: a join through every practice of a theme (tens of
    # thousands) made DISTINCT sort them all.
    of_memento = Memento.themes.through.objects.filter(
        theme_id=OuterRef("pk"), memento_id=monograph.memento_id
    )
    of_practices = Practice.themes.through.objects.filter(
        theme_id=OuterRef("pk"),
        practice__state=Practice.State.PUBLISHED,
        practice__monographs=monograph,
    )
    return list(
        Theme.objects.filter(Exists(of_memento) | Exists(of_practices)).order_by("position", "name")
    )


def monograph_practices(monograph: Monograph) -> list[Practice]:
    return list(
        monograph.practices.filter(state=Practice.State.PUBLISHED)
        .only("pk", "title", "slug", "summary")
        .order_by("title")
    )


# --- Sign-off --------------------------------------------------------------------------------


def _represented(user) -> QuerySet:
    return Membership.objects.filter(user=user, role=Membership.Role.REPRESENTATIVE).values(
        "entry_id"
    )


def monographs_to_review(user) -> list[Monograph]:
    """The case studies about the person's structures that staff sent for sign-off."""
    if not user.is_authenticated:
        return []
    return list(
        Monograph.objects.filter(entry__in=_represented(user))
        .exclude(sign_off=Monograph.SignOff.NOT_REQUESTED)
        .select_related("memento", "entry")
        .order_by("-sign_off_requested_at")
    )


def monograph_for_review(*, user, pk: int) -> Monograph:
    """A case study sent for sign-off, for a representative of the structure it describes;
    404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    found = (
        Monograph.objects.filter(pk=pk, entry__in=_represented(user))
        .exclude(sign_off=Monograph.SignOff.NOT_REQUESTED)
        .select_related("memento", "entry")
        .first()
    )
    if found is None:
        raise Http404
    return found


def reviews_of(monograph: Monograph) -> list[MonographReview]:
    return list(monograph.reviews.select_related("user"))


@dataclass
class DraftRow:
    label: str
    diff: object  # HTML: what goes struck, what comes marked


def _shown(model, name: str, value) -> str:
    """A field's value as a person reads it (names for relations)."""
    field = model._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(obj) for obj in field.related_model.objects.filter(pk__in=value or []))
    if field.is_relation:
        found = field.related_model.objects.filter(pk=value).first() if value else None
        return str(found) if found else "—"
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
    return str(value)


def draft_changes(draft: Draft) -> list[DraftRow]:
    """What a draft changes, field by field and section by section, as readable
    differences from what the public page shows now."""
    target = draft.target
    model = type(target)
    rows = []
    for name, value in draft.content.get("fields", {}).items():
        field = model._meta.get_field(name)
        now = [obj.pk for obj in getattr(target, name).all()] if field.many_to_many else (
            getattr(target, field.attname) if field.is_relation else getattr(target, name)
        )  # fmt: skip
        rows.append(
            DraftRow(
                str(field.verbose_name).capitalize(),
                word_diff(_shown(model, name, now), _shown(model, name, value)),
            )
        )
    sections = {s.pk: s for s in Section.objects.filter(memento=draft.memento_id)}
    for change in draft.content.get("sections", []):
        current = sections.get(change.get("id"))
        before = f"{current.title}\n\n{current.body}" if current else ""
        if change.get("delete"):
            label = _("Section supprimée : « %(title)s »") % {
                "title": current.title if current else "?"
            }
            rows.append(DraftRow(label, word_diff(before, "")))
            continue
        after = f"{change['title']}\n\n{change['body']}"
        label = (
            _("Section « %(title)s »") % {"title": current.title}
            if current
            else _("Nouvelle section")
        )
        rows.append(DraftRow(label, word_diff(before, after)))
    return rows


def version_changes(model, older, newer) -> list[DraftRow]:
    """What changed between two saved versions (django-reversion) of a memento or a case
    study, field by field, with the sections saved along with a memento."""
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Version

    before = older.field_dict if older is not None else {}
    after = newer.field_dict
    rows = []
    for field in model._meta.get_fields():
        if not getattr(field, "editable", False) or field.name in ("search_vector", "id"):
            continue
        if not (field.concrete or field.many_to_many) or field.auto_created:
            continue
        name = field.name
        old, new = before.get(name), after.get(name)
        if old == new or (field.many_to_many and sorted(old or []) == sorted(new or [])):
            continue
        shown_old, shown_new = _shown(model, name, old), _shown(model, name, new)
        if shown_old != shown_new:
            rows.append(
                DraftRow(str(field.verbose_name).capitalize(), word_diff(shown_old, shown_new))
            )
    if model is Memento:
        kind = ContentType.objects.get_for_model(Section)

        def sections(revision_id) -> dict:
            return {
                v.object_id: v.field_dict
                for v in Version.objects.filter(revision_id=revision_id, content_type=kind)
            }

        new_sections = sections(newer.revision_id)
        # Sections are saved with the memento's form, not with a change of status: compare
        # with the latest earlier version that saved them.
        old_sections = {}
        if new_sections:
            for version in Version.objects.get_for_object_reference(
                Memento, newer.object_id
            ).filter(revision_id__lt=newer.revision_id):
                old_sections = sections(version.revision_id)
                if old_sections:
                    break
        for key in sorted(set(old_sections) | set(new_sections), key=str) if new_sections else []:
            old, new = old_sections.get(key), new_sections.get(key)
            text_old = f"{old['title']}\n\n{old['body']}" if old else ""
            text_new = f"{new['title']}\n\n{new['body']}" if new else ""
            if text_old != text_new:
                title = (new or old)["title"]
                rows.append(
                    DraftRow(_("Section « %(title)s »") % {"title": title},
                             word_diff(text_old, text_new))
                )  # fmt: skip
    return rows
