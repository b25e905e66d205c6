"""Reads of the mementos. What the public sees is published; the staff see everything, as
the public would (a preview); representatives see the case studies about their structure
that they are asked to sign off."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from clusters.models import DirectoryEntry, Membership, Practice
from core.search import apply_search, clean_query
from events.models import Event
from mementos.models import Memento, Monograph, MonographReview
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
