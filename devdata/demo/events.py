"""Demo content of the calendar: the programme's historical events and upcoming ones,
with workshops, registrations (some workshops nearly full, one with a waitlist) and a
call for participation. Idempotent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from clusters.models import DirectoryEntry
from events import services
from events.models import (
    CallForParticipation,
    Event,
    Proposal,
    Registration,
    Workshop,
    WorkshopChoice,
)
from reference.models import Commune, Theme

PARIS = ZoneInfo("Europe/Paris")
FIRST_NAMES = [
    "Anne",
    "Bruno",
    "Chloé",
    "David",
    "Élodie",
    "Fabrice",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jules",
    "Karine",
    "Louis",
    "Manon",
    "Nicolas",
    "Océane",
    "Pierre",
    "Quentin",
    "Romane",
    "Sylvain",
    "Thérèse",
    "Ugo",
    "Valérie",
    "William",
    "Yasmine",
    "Zoé",
]
LAST_NAMES = [
    "Aubert",
    "Barbier",
    "Chevalier",
    "Dumas",
    "Faure",
    "Garnier",
    "Henry",
    "Joly",
    "Lacroix",
    "Marchand",
    "Noël",
    "Perrin",
    "Renard",
    "Roussel",
    "Vidal",
]
STRUCTURES = [
    "Pôle Bois Montagne",
    "PETR du Livradois-Forez",
    "Pays de Saint-Flour Haute-Auvergne",
    "Métropole de Lyon",
    "Campus rural du numérique",
    "La Fabrique d'Autun",
    "Cluster Laine et Cuir du Sud-Aveyron",
    "Pays du Haut-Jura",
]


def _at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _people(count: int, offset: int = 0):
    for n in range(offset, offset + count):
        first = FIRST_NAMES[n % len(FIRST_NAMES)]
        last = LAST_NAMES[(n * 7) % len(LAST_NAMES)]
        yield (
            f"{first} {last}",
            f"{first.lower()}.{last.lower()}.{n}@participants.exemple.fr".replace("é", "e")
            .replace("ë", "e")
            .replace("è", "e"),
            STRUCTURES[n % len(STRUCTURES)],
        )


def _event(slug, **fields) -> tuple[Event, bool]:
    event = Event.objects.filter(slug=slug).first()
    if event:
        return event, False
    themes = fields.pop("themes", [])
    event = Event(slug=slug, published=True, **fields)
    services.event_prepare(event)
    event.save()
    event.themes.set(themes)
    return event, True


def _past_registrations(event: Event, workshops: list[Workshop], count: int) -> None:
    """Registrations to an event that already took place, as they stood on the day."""
    now = timezone.now()
    for index, (name, email, structure) in enumerate(_people(count)):
        registration = Registration.objects.create(
            event=event, full_name=name, email=email, structure_name=structure,
            consent_at=now, checked_in_at=event.starts_at if index % 6 else None,
        )  # fmt: skip
        if workshops:
            WorkshopChoice.objects.create(
                registration=registration, workshop=workshops[index % len(workshops)]
            )


@transaction.atomic
def events_demo_load(*, people: dict) -> None:
    _events_demo_load(people=people)
    services.event_index(list(Event.objects.all()))


def _events_demo_load(*, people: dict) -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    communes = {
        c.code: c for c in Commune.objects.filter(code__in=["69123", "63113", "87085", "75056"])
    }
    organisers = "France Clusters, ANPP et INRA"

    seminar, created = _event(
        "seminaire-reciprocite-ville-campagne-2015",
        kind=Event.Kind.SEMINAR,
        title="Séminaire « L'inter clusters d'entreprises : une réciprocité prometteuse entre ville et campagne »",
        summary="Les acteurs des réseaux de France Clusters, de l'ANPP et de l'INRA approfondissent ensemble, en ateliers de travail, les thèmes remontés des deux enquêtes de 2015.",
        description="Le séminaire du 3 décembre 2015 a rassemblé clusters, pôles de compétitivité et territoires de projet autour des premiers résultats des enquêtes. Les ateliers de travail ont fait émerger les thèmes des ateliers de production.\n\n*Reconstitution pour la démonstration du portail.*",
        starts_at=_at(2015, 12, 3, 9, 30), ends_at=_at(2015, 12, 3, 17, 0),
        venue="Centre de congrès", address="50 quai Charles-de-Gaulle", commune=communes.get("69123"),
        organisers=organisers, themes=[themes["lieux-innovation-creativite"], themes["agroalimentaire"], themes["bois-foret"]],
        outputs="- Quatre thèmes retenus pour les ateliers de production\n- Publication de l'état des lieux issu des deux enquêtes",
    )  # fmt: skip
    if created:
        workshops = [
            Workshop.objects.create(event=seminar, title=title, theme=themes[theme], starts_at=_at(2015, 12, 3, 14), ends_at=_at(2015, 12, 3, 16), capacity=25, room=room)
            for title, theme, room in [
                ("Lieux d'innovation et services mutualisés", "lieux-innovation-creativite", "A"),
                ("Filières agroalimentaires de proximité", "agroalimentaire", "B"),
                ("Le bois local, de la forêt aux chantiers urbains", "bois-foret", "C"),
                ("Attirer et former les compétences", "competences-emploi", "D"),
            ]
        ]  # fmt: skip
        _past_registrations(seminar, workshops, 60)

    meeting, created = _event(
        "rencontre-reseaux-ruraux-regionaux-2016",
        kind=Event.Kind.NETWORK_MEETING,
        title="Réunion d'échanges avec les Réseaux ruraux régionaux",
        summary="Clusters, territoires et lien rural–urbain : repérer ensemble les bonnes pratiques en région.",
        description="Une journée d'échanges avec les animateurs des Réseaux ruraux régionaux pour repérer les bonnes pratiques et préparer les mémentos.\n\n*Reconstitution pour la démonstration du portail.*",
        starts_at=_at(2016, 9, 28, 10), ends_at=_at(2016, 9, 28, 16, 30),
        venue="Maison des réseaux", address="7 rue des Réseaux", commune=communes.get("75056"),
        organisers=organisers, themes=[themes["lieux-innovation-creativite"]],
        outputs="Les bonnes pratiques repérées ont nourri les mémentos n°1 et n°2.",
    )  # fmt: skip
    if created:
        _past_registrations(meeting, [], 35)

    day, created = _event(
        "ateliers-de-production-2027",
        kind=Event.Kind.WORKSHOP_DAY,
        title="Ateliers de production 2027 : appartenance et coopération",
        summary="Une journée pour produire ensemble le mémento n°3 : comment développer le sentiment d'appartenance à un réseau, à un territoire ?",
        description="Deux créneaux d'ateliers, le matin et l'après-midi, avec des clusters, des Pays et des PETR qui ont fait de l'appartenance un levier de coopération.\n\n**Déjeuner offert.** Les ateliers sont limités pour laisser chacun contribuer.",
        starts_at=_at(2027, 3, 18, 9, 30), ends_at=_at(2027, 3, 18, 17, 0),
        venue="Maison de l'innovation", address="12 avenue de la République", commune=communes.get("63113"),
        organisers=organisers, max_per_structure=5,
        registration_closes_at=_at(2027, 3, 11, 23, 59),
        themes=[themes["lieux-innovation-creativite"], themes["competences-emploi"], themes["services-aux-personnes"]],
    )  # fmt: skip
    if created:
        entries = list(
            DirectoryEntry.objects.filter(slug__in=["bois-montagne", "pays-livradois-forez"])
        )
        day.organiser_entries.set(entries)
        morning = [
            Workshop.objects.create(event=day, title=title, theme=themes[theme], starts_at=_at(2027, 3, 18, 10), ends_at=_at(2027, 3, 18, 12, 30), capacity=capacity, room=room, facilitators=who)
            for title, theme, capacity, room, who in [
                ("Faire réseau entre entreprises d'un même territoire", "competences-emploi", 12, "Volvic", "Pays du Haut-Jura"),
                ("Tiers-lieux : des lieux où l'on se sent chez soi", "lieux-innovation-creativite", 8, "Sancy", "Campus rural du numérique"),
                ("Nouveaux arrivants : accueillir et retenir", "services-aux-personnes", 20, "Dôme", "GAL du Haut-Allier"),
            ]
        ]  # fmt: skip
        afternoon = [
            Workshop.objects.create(event=day, title=title, theme=themes[theme], starts_at=_at(2027, 3, 18, 14), ends_at=_at(2027, 3, 18, 16, 30), capacity=capacity, room=room, facilitators=who)
            for title, theme, capacity, room, who in [
                ("Marques territoriales et fierté d'appartenance", "tourisme", 15, "Volvic", "PETR du Périgord vert"),
                ("Coopérer entre ville et campagne : les contrats de réciprocité", "agroalimentaire", 15, "Sancy", "Métropole de Lyon"),
            ]
        ]  # fmt: skip
        # Nearly full morning workshops; the tiers-lieux one overflows onto its waitlist.
        plan = [(morning[0], 10), (morning[1], 11), (morning[2], 6)]
        offset = 0
        for workshop, count in plan:
            for name, email, structure in _people(count, offset):
                services.registration_save(
                    event=day, user=None, notify=False,
                    data=services.RegistrationInput(full_name=name, email=email, structure_name=structure, workshops=[workshop, afternoon[offset % 2]]),
                )  # fmt: skip
                offset += 1
        CallForParticipation.objects.create(
            event=day,
            title="Appel à participation : témoigner dans un atelier",
            description="Vous animez un réseau ou un territoire et avez fait de l'appartenance un levier de coopération ? Proposez un témoignage de 15 minutes.",
            opens_at=timezone.now() - timedelta(days=10), closes_at=_at(2027, 2, 15, 23, 59),
        )  # fmt: skip
        member = people.get("membre")
        if member:
            services.registration_save(
                event=day, user=member, notify=False,
                data=services.RegistrationInput(full_name=member.get_full_name(), email=member.email, structure_name=member.organisation_name, workshops=[morning[2], afternoon[1]]),
            )  # fmt: skip
            Proposal.objects.create(
                call=day.call, author=member, title="Le Haut-Jura, une identité industrielle partagée",
                summary="Comment les entreprises de la lunetterie et de la plasturgie ont construit une fierté commune avec le territoire.",
                workshop=morning[0], contributors="Claire Petit (Pays du Haut-Jura)",
            )  # fmt: skip

    webinar, created = _event(
        "webinaire-memento-4-economie-emploi",
        kind=Event.Kind.WEBINAR,
        title="Webinaire : vers le mémento n°4, nouvelles approches de l'économie et de l'emploi",
        summary="France Clusters et INRA présentent les premières pistes du mémento n°4 et recueillent vos expériences.",
        starts_at=_at(2027, 1, 21, 11), ends_at=_at(2027, 1, 21, 12, 15),
        online_url="https://visio.exemple.fr/interclusters-memento-4", capacity=100,
        organisers="France Clusters et INRA", themes=[themes["competences-emploi"], themes["economie-circulaire"]],
    )  # fmt: skip
    if created:
        for name, email, structure in _people(18, 40):
            services.registration_save(
                event=webinar,
                user=None,
                notify=False,
                data=services.RegistrationInput(
                    full_name=name, email=email, structure_name=structure
                ),
            )

    _event(
        "rencontre-reseau-nouvelle-aquitaine-2027",
        kind=Event.Kind.NETWORK_MEETING,
        title="Rencontre du réseau en Nouvelle-Aquitaine",
        summary="Une demi-journée pour faire se rencontrer clusters urbains et territoires ruraux de la région autour de projets concrets.",
        starts_at=_at(2027, 5, 12, 14), ends_at=_at(2027, 5, 12, 18),
        venue="Technopole", address="3 rue de la Technopole", commune=communes.get("87085"), capacity=60,
        organisers=organisers, themes=[themes["sante-vieillissement"], themes["bois-foret"]],
    )  # fmt: skip
