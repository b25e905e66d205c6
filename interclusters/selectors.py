"""Site-wide reads."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import ContactMessage, DirectoryEntry, EntryChange, Membership, Practice
from core.db import count_many
from core.exports import XLSX
from core.mail import absolute_url
from core.pagecache import versions_tag
from events.models import Event, Proposal, Registration
from interclusters.models import SavedSearch
from mementos.models import Memento, MonographReview
from reference import selectors as reference_selectors
from reference.models import Theme
from surveys.models import Response as SurveyResponse

DEMO_CACHE_KEY = "interclusters:demo-data-loaded"


def home_key_figures() -> dict[str, int]:
    """The figures the home page shows: counted in one query (some 70 ms over 100,000
    practices), then kept in each process's memory under the versions of the directory
    and of the accounts, which every change of either bumps (core.pagecache)."""
    key = "home-figures:" + versions_tag(("accounts", "directory"))
    figures = caches["local"].get(key)
    if figures is None:
        figures = _count_home_figures()
        caches["local"].set(key, figures, 3600)
    return figures


def _count_home_figures() -> dict[str, int]:
    return count_many(
        structures=DirectoryEntry.objects.published().structures(),
        territories=DirectoryEntry.objects.published().territories(),
        practices=Practice.objects.published(),
        rural_urban=Practice.objects.published().filter(rural_urban=True),
        themes=Theme.objects.all(),
        members=get_user_model().objects.filter(is_active=True),
    )


def latest_practices(limit: int = 3):
    """The practices published last, for the home page."""
    return list(
        Practice.objects.published()
        .defer("search_vector", "body")
        .order_by("-published_at", "-pk")[:limit]
    )


def latest_mementos(limit: int = 2):

    return list(
        Memento.objects.published()
        .only("pk", "number", "title", "slug", "subtitle", "cover", "cover_alt", "published_at")
        .order_by("-published_at", "-number")[:limit]
    )


def themes_for_home():
    return reference_selectors.themes()


def demo_data_loaded() -> bool:
    """Whether the demo accounts exist (the banner shows on every page: each process
    keeps the answer five minutes)."""
    return caches["local"].get_or_set(
        DEMO_CACHE_KEY,
        lambda: (
            get_user_model()
            .objects.filter(email__endswith="@" + settings.DEMO_EMAIL_DOMAIN)
            .exists()
        ),
        timeout=300,
    )


def personal_data(user) -> dict:
    """Everything the portal holds about a person, for them to download."""

    def when(value):
        return value.isoformat() if value else None

    return {
        "compte": {
            "adresse_email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "structure": user.organisation_name,
            "inscrit_le": when(user.date_joined),
            "derniere_connexion": when(user.last_login),
        },
        "rattachements": [
            {"fiche": m.entry.name, "role": m.get_role_display()}
            for m in Membership.objects.filter(user=user).select_related("entry")
        ],
        "alertes": [
            {
                "nom": a.name,
                "sur": a.get_kind_display(),
                "recherche": a.query,
                "frequence": a.get_frequency_display(),
                "creee_le": when(a.created_at),
            }
            for a in SavedSearch.objects.filter(user=user)
        ],  # fmt: skip
        "messages_aux_structures": [
            {"structure": m.entry.name, "envoye_le": when(m.created_at)}
            for m in ContactMessage.objects.filter(sender=user).select_related("entry")
        ],
        "pratiques_proposees": [
            {"titre": p.title, "etat": p.get_state_display(), "proposee_le": when(p.created_at)}
            for p in Practice.objects.filter(proposer=user)
        ],
        "modifications_de_fiches": [
            {"fiche": c.entry.name, "statut": c.get_status_display(), "valeurs": c.data}
            for c in EntryChange.objects.filter(author=user).select_related("entry")
        ],
        "inscriptions": [
            {
                "evenement": r.event.title,
                "statut": r.get_status_display(),
                "nom": r.full_name,
                "adresse_email": r.email,
                "structure": r.structure_name,
                "accessibilite": r.accessibility_needs,
                "regime": r.dietary_needs,
                "consentement_le": when(r.consent_at),
                "ateliers": [
                    {"atelier": c.workshop.title, "statut": c.get_status_display()}
                    for c in r.choices.all()
                ],
            }
            for r in Registration.objects.filter(user=user)
            .select_related("event")
            .prefetch_related("choices__workshop")
        ],
        "propositions": [
            {"titre": p.title, "appel": p.call.title, "statut": p.get_status_display()}
            for p in Proposal.objects.filter(author=user).select_related("call")
        ],
        "reponses_aux_enquetes": [
            {
                "enquete": r.survey.title,
                "pour": r.entry.name,
                "etat": r.get_status_display(),
                "envoyee_le": when(r.submitted_at),
            }
            for r in SurveyResponse.objects.filter(user=user).select_related("survey", "entry")
        ],
        "avis_sur_des_monographies": [
            {
                "monographie": r.monograph.title,
                "avis": r.get_decision_display(),
                "commentaire": r.comment,
                "le": when(r.created_at),
            }
            for r in MonographReview.objects.filter(user=user).select_related("monograph")
        ],
    }


def open_datasets() -> list[dict]:
    """The portal's datasets as the open-data page and its catalogue list them: what,
    where (each format's address), under which licence, last updated when."""
    entries = DirectoryEntry.objects.published().aggregate(at=Max("updated_at"))["at"]
    practices = Practice.objects.published().aggregate(at=Max("updated_at"))["at"]
    events = Event.objects.published().aggregate(at=Max("updated_at"))["at"]
    mementos = Memento.objects.published().aggregate(at=Max("updated_at"))["at"]

    def fmt(label: str, name: str, media_type: str) -> dict:
        return {"label": label, "url": absolute_url(reverse(name)), "media_type": media_type}

    return [
        {
            "slug": "annuaire",
            "title": _("Annuaire des clusters, pôles, lieux d'innovation et territoires"),
            "description": _(
                "Les structures et territoires publiés : type, milieu (rural, urbain), "
                "commune et code INSEE, thèmes, site web, nombre de pratiques. Les adresses "
                "e-mail de contact ne sont pas diffusées."
            ),
            "updated_at": entries,
            "formats": [
                fmt("CSV", "clusters:directory_csv", "text/csv"),
                fmt("XLSX", "clusters:directory_xlsx", XLSX),
                fmt("GeoJSON", "clusters:directory_geojson", "application/geo+json"),
                fmt(_("API (structures)"), "api:structures", "application/json"),
                fmt(_("API (territoires)"), "api:territories", "application/json"),
            ],  # fmt: skip
        },
        {
            "slug": "liens-cooperation",
            "title": _("Liens de coopération entre structures et territoires"),
            "description": _(
                "Les liens que tracent les pratiques publiées entre leurs partenaires "
                "(lignes GeoJSON)."
            ),
            "updated_at": practices,
            "formats": [fmt("GeoJSON", "clusters:directory_links_geojson", "application/geo+json")],
        },
        {
            "slug": "pratiques",
            "title": _("Pratiques innovantes de coopération ville–campagne"),
            "description": _(
                "Les pratiques publiées : résumé, type, avancement, années, thèmes, "
                "partenaires et chef de file, mesures FEADER."
            ),
            "updated_at": practices,
            "formats": [
                fmt("CSV", "clusters:practice_csv", "text/csv"),
                fmt("XLSX", "clusters:practice_xlsx", XLSX),
                fmt("GeoJSON", "clusters:practice_geojson", "application/geo+json"),
                fmt("API", "api:practices", "application/json"),
            ],  # fmt: skip
        },
        {
            "slug": "agenda",
            "title": _("Agenda du séminaire et des ateliers"),
            "description": _("Les événements publiés du programme, à venir et passés."),
            "updated_at": events,
            "formats": [
                fmt("iCalendar", "events:agenda_ics", "text/calendar"),
                fmt("API", "api:events", "application/json"),
            ],
        },
        {
            "slug": "mementos",
            "title": _("Mémentos de bonnes pratiques"),
            "description": _("Les mémentos publiés et leurs études de cas."),
            "updated_at": mementos,
            "formats": [
                fmt("Atom", "mementos:feed", "application/atom+xml"),
                fmt("API", "api:mementos", "application/json"),
            ],
        },
    ]


def alert_of_user(*, user, pk: int) -> SavedSearch:
    """One of the person's alerts; anyone else's is not found."""
    alert = SavedSearch.objects.filter(user=user, pk=pk).select_related("entry").first()
    if alert is None:
        raise Http404
    return alert


def alerts_of_user(user) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(user=user).select_related("entry"))
