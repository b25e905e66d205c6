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


def practice_proposal_data(**overrides) -> dict:
    """The practice proposal form, filled in."""
    data = {
        "title": "Légumerie partagée du Haut-Allier",
        "summary": "Une légumerie épluche les légumes des maraîchers pour les cantines.",
        "kind": "shared_service",
        "themes": ["agroalimentaire"],
        "body": "## Origine\n\nDes maraîchers **isolés**.",
        "rural_contribution": "Des légumes.",
        "urban_contribution": "Des cantines.",
        "start_year": "2019",
        "end_year": "",
        "status": "ongoing",
        "funding_measures": ["M16"],
        "links": "https://legumerie.exemple.fr Le site\nhttps://autre.exemple.fr",
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "20",
        "partners-0-entry": "",
        "partners-0-name": "Pays de Saint-Flour",
        "partners-0-role": "lead",
        "partners-1-entry": "",
        "partners-1-name": "Association des maraîchers",
        "partners-1-role": "partner",
        "partners-2-name": "",
        "partners-2-role": "partner",
    }
    data.update(overrides)
    return data


def entry_change_data(**overrides) -> dict:
    """The edit form of the Pôle Bois Montagne, as its representative fills it in."""
    data = {
        "name": "Pôle Bois Montagne",
        "acronym": "PBM",
        "description": "Nouvelle présentation, relue par le bureau.",
        "website": "https://pole-bois.exemple.fr",
        "email": "contact@pole-bois.exemple.fr",
        "phone": "04 73 00 00 00",
        "address": "Place de la mairie, Ambert",
        "themes": ["bois-foret", "tourisme"],
    }
    data.update(overrides)
    return data
