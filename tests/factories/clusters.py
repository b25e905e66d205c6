"""Structures, territories and practices, saved through the directory's services."""

from clusters import services
from clusters.models import DirectoryEntry, Practice
from tests.factories.reference import CommuneFactory


def make_entry(
    name: str,
    *,
    category: str = "structure",
    kind: str = "cluster",
    commune=None,
    setting: str = "rural",
    themes=(),
    published: bool = True,
    description: str = "",
    **fields,
):
    """A directory entry saved through the service, as the portal saves them."""
    entry = DirectoryEntry(
        category=category,
        kind=kind,
        name=name,
        commune=commune or CommuneFactory(),
        setting=setting,
        published=published,
        description=description,
        **fields,
    )
    return services.entry_save(entry=entry, themes=list(themes))


def make_practice(
    title: str,
    *,
    lead,
    partners=(),
    themes=(),
    measures=(),
    state: str = "published",
    summary: str = "Une pratique de démonstration.",
    kind: str = "cooperation",
    status: str = "ongoing",
    start_year: int | None = 2016,
    end_year: int | None = None,
    proposer=None,
    **fields,
):
    """A practice saved through the service, with its lead and partners."""
    practice = Practice(
        title=title,
        summary=summary,
        kind=kind,
        status=status,
        start_year=start_year,
        end_year=end_year,
        state=state,
        proposer=proposer,
        **fields,
    )
    return services.practice_save(
        practice=practice,
        themes=list(themes),
        funding_measures=list(measures),
        partners=[services.PartnerInput(role="lead", entry=lead)]
        + [services.PartnerInput(role="partner", entry=p) for p in partners],
        links=[],
    )
