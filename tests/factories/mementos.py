"""Mementos with their sections and a case study."""

from django.utils import timezone

from mementos import services
from mementos.models import Memento, Monograph, Section


def make_memento(number=1, *, status="draft", directory=None, sections=2, **fields) -> Memento:
    memento = Memento.objects.create(
        number=number,
        slug=fields.pop("slug", f"memento-{number}"),
        title=fields.pop("title", f"Lieux et réseaux, mémento {number}"),
        summary=fields.pop("summary", "Des **pépinières** et des tiers-lieux."),
        key_questions="Quelles formes prennent ces lieux ?\nQuels services ?",
        status=status,
        **fields,
    )
    for position in range(1, sections + 1):
        Section.objects.create(
            memento=memento,
            position=position,
            title=f"Partie {position}",
            body=f"Texte de la partie {position} sur la **mutualisation** des services.",
        )
    if directory:
        memento.lead_partners.add(directory["bois"])
        monograph = Monograph.objects.create(
            memento=memento,
            slug="pays-de-saint-flour",
            title="Le Pays de Saint-Flour et sa pépinière",
            summary="Une pépinière animée par le Pays.",
            entry=directory["pays"],
            context="Une économie **agricole** à diversifier.",
            actions="- Une pépinière\n- Des rencontres",
            staff_time="0,5 ETP",
        )
        monograph.practices.add(directory["food"])
    if status == Memento.Status.PUBLISHED:
        Memento.objects.filter(pk=memento.pk).update(published_at=timezone.now())
        memento.refresh_from_db()
    services.memento_index(memento)
    return memento
