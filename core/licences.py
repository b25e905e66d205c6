"""Under which licence the portal's data is reused, and where its reference data comes
from: said in every export, the API and the open-data page."""

from django.utils.translation import gettext_lazy as _

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PRODUCER = "Interclusters — France Clusters, ANPP et INRA"

# (what, who publishes it, licence)
SOURCES = [
    (
        _("Régions, départements, communes, EPCI et codes postaux"),
        "INSEE, Code officiel géographique, via Etalab (découpage administratif 2026)",
        "Licence Ouverte 2.0",
    ),
    (
        _("Points des mairies"),
        "DILA, Annuaire de l'administration",
        "Licence Ouverte 2.0",
    ),
    (
        _("Niveaux de la grille communale de densité"),
        "INSEE",
        "Licence Ouverte 2.0",
    ),
]


def attribution() -> str:
    """One line that names the licence, the producer and the sources."""
    sources = "; ".join(f"{what} : {who} ({licence})" for what, who, licence in SOURCES)
    return f"{PRODUCER}, {LICENCE_NAME} ({LICENCE_URL}). {_('Sources')} — {sources}."


def about_rows() -> list[tuple]:
    """The (label, value) pairs of an export's "À propos" sheet."""
    return [
        (_("Producteur"), PRODUCER),
        (_("Licence"), f"{LICENCE_NAME} — {LICENCE_URL}"),
        *[(_("Source"), f"{what} : {who} ({licence})") for what, who, licence in SOURCES],
    ]


def geojson_members() -> dict:
    """Foreign members of a GeoJSON FeatureCollection (RFC 7946 §6.1) that say the same."""
    return {
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "producer": PRODUCER,
        "sources": [
            {"data": str(what), "publisher": who, "licence": licence}
            for what, who, licence in SOURCES
        ],
    }
