"""Demo content of the surveys: the two 2015 surveys with their invitations and about sixty
responses (drafts among them), free-text answers tagged with the directory's themes, and
an open 2027 survey. Answers are drawn from a seeded generator, so every load gives the
same figures. Idempotent: a survey that already has responses is left alone."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from clusters.models import Category, DirectoryEntry
from devdata.data import FOLDER
from devdata.demo.directory import demo_entry_slugs
from reference.models import Theme
from surveys import data, services
from surveys.models import (
    Answer,
    AnswerChoice,
    Invitation,
    Question,
    Response,
    Survey,
)

PARIS = ZoneInfo("Europe/Paris")

# Free-text answers, with the themes the staff tagged them with.
STORIES = {
    "exemple": [
        (
            "Une scierie du plateau a mis au point un panneau de bois massif avec le laboratoire "
            "de mécanique de l'université : deux ans de thèse CIFRE, un brevet et six emplois.",
            ["bois-foret", "competences-emploi"],
        ),
        (
            "Une fromagerie fermière teste avec l'école d'ingénieurs de la ville voisine un "
            "procédé d'affinage moins gourmand en énergie.",
            ["agroalimentaire", "energie-transition-ecologique"],
        ),
        (
            "Nos menuisiers ont conçu avec l'école d'architecture un mobilier urbain en hêtre "
            "local, posé depuis dans trois communes de l'agglomération.",
            ["bois-foret", "culture"],
        ),
        (
            "Un atelier de mécanique rurale utilise la plateforme de fabrication additive du "
            "campus, à quarante minutes, pour ses prototypes.",
            ["lieux-innovation-creativite", "numerique"],
        ),
    ],
    "complementarites": [
        (
            "La ville a les laboratoires et les étudiants, la campagne a la matière première et "
            "des savoir-faire : il manque un lieu où ils se croisent.",
            ["lieux-innovation-creativite"],
        ),
        (
            "Le bois de nos forêts peut alimenter les chantiers de l'agglomération, à condition "
            "de structurer la filière ensemble.",
            ["bois-foret"],
        ),
        (
            "Les circuits courts alimentaires sont le premier terrain d'entente entre nos "
            "producteurs et la restauration collective urbaine.",
            ["agroalimentaire"],
        ),
        (
            "Le télétravail fait revenir des compétences numériques dans nos villages : les "
            "entreprises urbaines peuvent s'y appuyer.",
            ["numerique", "competences-emploi"],
        ),
        (
            "Des tiers-lieux en bourg-centre pourraient accueillir les chercheurs en résidence "
            "quelques jours par mois.",
            ["lieux-innovation-creativite"],
        ),
        (
            "Le tourisme d'affaires urbain cherche des lieux de séminaire à la campagne ; nos "
            "hébergeurs sont prêts.",
            ["tourisme"],
        ),
    ],
    "action_exemple": [
        (
            "Notre pépinière accueille douze jeunes entreprises ; trois travaillent déjà avec "
            "le pôle de compétitivité régional.",
            ["lieux-innovation-creativite"],
        ),
        (
            "La plateforme de circuits courts livre chaque semaine les cantines de "
            "l'agglomération avec les produits de quarante fermes.",
            ["agroalimentaire", "mobilite"],
        ),
        (
            "Un groupement d'employeurs partage des techniciens de maintenance entre cinq PME "
            "du territoire.",
            ["competences-emploi"],
        ),
        (
            "Le tiers-lieu de la gare a réuni des artisans, des télétravailleurs et une antenne "
            "de l'université.",
            ["lieux-innovation-creativite", "numerique"],
        ),
        (
            "La marque territoriale fédère désormais quatre-vingts entreprises et ouvre les "
            "salons parisiens à nos producteurs.",
            ["tourisme", "agroalimentaire"],
        ),
    ],
    "attentes": [
        (
            "Rencontrer des clusters prêts à travailler avec des entreprises éloignées des "
            "métropoles, et repartir avec des contacts.",
            ["lieux-innovation-creativite"],
        ),
        (
            "Des méthodes pour monter un contrat de réciprocité avec l'agglomération voisine.",
            ["mobilite", "tourisme"],
        ),
        (
            "Comprendre comment financer l'innovation dans la filière bois avec LEADER.",
            ["bois-foret"],
        ),
        (
            "Des exemples concrets de coopération sur l'alimentation de proximité.",
            ["agroalimentaire"],
        ),
        (
            "Trouver des partenaires pour un réseau de tiers-lieux à l'échelle du département.",
            ["lieux-innovation-creativite", "numerique"],
        ),
    ],
    "exemple_2027": [
        (
            "Une soirée mensuelle au tiers-lieu a suffi à faire naître deux projets communs "
            "entre adhérents qui ne se connaissaient pas.",
            ["lieux-innovation-creativite"],
        ),
    ],
}

# Weights that give the surveys their story: distance and not knowing whom to call come
# first among the obstacles; innovation places and wood lead the workshop themes.
WEIGHTS = {
    "obstacles": [9, 3, 5, 8, 2, 4],
    "themes": [5, 8, 3, 4, 4, 3, 3, 2, 4, 9],
    "secteurs": [6, 7, 3, 4, 3, 5, 2, 3],
    "formes": [5, 3, 6, 4, 3],
    "services": [7, 3, 4, 5, 6, 3],
    "actions": [7, 4, 3, 6, 3, 5],
    "agglomeration": [3, 6, 4, 7, 3],
    "leviers": [6, 5, 3, 2, 4],
}
SCALE_WEIGHTS = {
    "difficulte": [1, 2, 4, 6, 4],
    "ruralite": [1, 2, 4, 6, 5],
    "intensite": [3, 5, 5, 3, 1],
    "sentiment": [1, 3, 5, 5, 2],
}
YES_SHARE = {"cooperent": 0.55, "lieu": 0.45, "temoigner": 0.3, "charge_mission": 0.75,
             "cluster": 0.5, "mutualiser": 0.7, "leader": 0.6, "atelier": 0.6}  # fmt: skip
OTHER_TEXTS = ["Coopérative d'activités", "Manque de foncier disponible", "Parc d'activités",
               "Résidence de chercheurs", "Association de commerçants"]  # fmt: skip


@transaction.atomic
def surveys_demo_load(*, people: dict) -> dict[str, int]:
    """Load the surveys, invite the demo structures and answer for most of them."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    counts = {}
    clusters_2015, territories_2015 = data.surveys_2015()
    (belonging_2027,) = data.load(FOLDER / "survey_2027.json")
    for definition, seed, share_submitted, share_draft in (
        (clusters_2015, 2015, 0.8, 0.08),
        (territories_2015, 2016, 0.87, 0.07),
        (belonging_2027, 2027, 0.25, 0.15),
    ):
        survey, _created = services.survey_load(definition)
        if Response.objects.filter(survey=survey).exists():
            continue
        rng = random.Random(seed)
        entries = _audience(survey)
        if survey.status == Survey.Status.OPEN:
            # The demo representative's structure is left for them to answer.
            entries = [e for e in entries if e.slug != "bois-montagne"][:24]
        counts[survey.slug] = _answer_all(
            survey, entries, rng, themes, share_submitted=share_submitted, share_draft=share_draft
        )
    return counts


def _audience(survey: Survey) -> list[DirectoryEntry]:
    entries = DirectoryEntry.objects.filter(slug__in=demo_entry_slugs(), published=True)
    if survey.audience == Survey.Audience.TERRITORIES:
        entries = entries.filter(category=Category.TERRITORY)
    elif survey.audience == Survey.Audience.STRUCTURES:
        entries = entries.filter(category=Category.STRUCTURE)
    return list(entries.exclude(email="").select_related("commune").order_by("slug"))


def _answer_all(survey, entries, rng, themes, *, share_submitted, share_draft) -> int:
    questions = services.survey_questions(survey)
    services.invitations_create(survey=survey, entries=entries, send=False)
    invitations = {i.entry_id: i for i in Invitation.objects.filter(survey=survey)}
    span = (survey.closes_at - survey.opens_at).total_seconds()
    now = min(survey.closes_at, datetime.now(tz=PARIS))
    submitted = 0
    for entry in entries:
        invitation = invitations[entry.pk]
        invitation.sent_at = survey.opens_at
        roll = rng.random()
        started = survey.opens_at + timedelta(seconds=rng.uniform(0.02, 0.7) * span)
        started = min(started, now - timedelta(hours=1))
        if roll < share_submitted + share_draft:
            done = roll < share_submitted
            invitation.opened_at = started
            invitation.started_at = started
            response = Response.objects.create(
                survey=survey,
                entry=entry,
                invitation=invitation,
                status=Response.Status.SUBMITTED if done else Response.Status.DRAFT,
                last_section=survey.sections.count() if done else 2,
            )
            finished = min(started + timedelta(days=rng.uniform(0, 9)), now)
            if done:
                invitation.submitted_at = finished
                submitted += 1
            Response.objects.filter(pk=response.pk).update(
                started_at=started, updated_at=finished, submitted_at=finished if done else None
            )
            _answers(response, questions, rng, themes, entry, partial=not done)
        elif roll < share_submitted + share_draft + 0.06:
            invitation.opened_at = started
        if invitation.submitted_at is None and rng.random() < 0.6:
            # Never in the future (an open survey's reminder has not gone yet).
            reminded = survey.opens_at + timedelta(seconds=0.6 * span)
            invitation.reminded_at = reminded if reminded < now else None
        invitation.save()
    return submitted


def _answers(response, questions, rng, themes, entry, *, partial: bool) -> None:
    picks: dict[int, set[int]] = {}
    shown_sections = {q.section.position for q in questions}
    if partial:
        shown_sections = {min(shown_sections), min(shown_sections) + 1}
    answers, chosen, tagged = [], [], []
    for question in questions:
        if question.section.position not in shown_sections:
            continue
        known = {
            qid: services.Known(choices=frozenset(c), answered=True) for qid, c in picks.items()
        }
        if question.pk not in services.visible_questions(questions, known):
            continue
        if not question.required and rng.random() < 0.15:
            continue
        answer = Answer(response=response, question=question)
        labels = list(question.choices.all())
        story_themes: list[str] = []
        code = question.code
        if question.is_choice:
            if code == "type":
                picked, answer.other = _kind_choice(entry, labels)
            else:
                picked = _pick(question, labels, rng)
                if question.allow_other and rng.random() < 0.08:
                    answer.other = rng.choice(OTHER_TEXTS)
            picks[question.pk] = {c.pk for c in picked}
            chosen.extend((answer, c) for c in picked)
        elif question.kind == Question.Kind.YES_NO:
            answer.boolean = rng.random() < YES_SHARE.get(code, 0.5)
        elif question.kind == Question.Kind.SCALE:
            weights = SCALE_WEIGHTS.get(code, [1] * (question.scale_max - question.scale_min + 1))
            values = range(question.scale_min, question.scale_max + 1)
            answer.number = Decimal(rng.choices(list(values), weights=weights)[0])
        elif question.kind == Question.Kind.INTEGER:
            answer.number = Decimal(_integer(code, entry, rng))
        elif question.kind == Question.Kind.DECIMAL:
            low, high = (0.2, 2.0) if code == "etp" else (80, 1200)
            answer.number = Decimal(str(round(rng.uniform(low, high), 1)))
        elif question.kind == Question.Kind.DATE:
            answer.date = date(2005, 1, 1) + timedelta(days=rng.randrange(0, 3800))
        elif question.kind == Question.Kind.EMAIL:
            answer.text = f"temoin@{entry.slug}.exemple.fr"
        elif question.kind == Question.Kind.URL:
            answer.text = f"https://{entry.slug}.exemple.fr/projet"
        elif question.kind == Question.Kind.SHORT_TEXT:
            commune = entry.commune.name if entry.commune_id else ""
            answer.text = (
                f"La Fabrique, à {commune}" if code == "lieu_nom" else f"Projet commun à {commune}"
            )
        else:
            pool = STORIES.get(code) or STORIES.get(f"{code}_2027") or STORIES["complementarites"]
            answer.text, story_themes = rng.choice(pool)
            answer.quotable = rng.random() < 0.6
        answers.append(answer)
        tagged.extend((answer, slug) for slug in story_themes)
    Answer.objects.bulk_create(answers)
    AnswerChoice.objects.bulk_create([AnswerChoice(answer=a, choice=c) for a, c in chosen])
    Answer.themes.through.objects.bulk_create(
        [
            Answer.themes.through(answer_id=a.pk, theme_id=themes[slug].pk)
            for a, slug in tagged
            if slug in themes
        ]
    )


TYPE_CHOICES = {
    "cluster": "Cluster ou grappe d'entreprises",
    "pole": "Pôle de compétitivité",
    "pays": "Pays",
    "petr": "PETR",
    "gal": "GAL LEADER",
    "epci": "Communauté de communes",
    "pnr": "Parc naturel régional",
}


def _kind_choice(entry, choices):
    """The answer to "what kind of structure are you", true to the directory."""
    label = TYPE_CHOICES.get(entry.kind)
    for choice in choices:
        if choice.label == label:
            return [choice], ""
    return [], str(entry.get_kind_display()).capitalize()


def _pick(question, choices, rng):
    weights = WEIGHTS.get(question.code, [1] * len(choices))[: len(choices)]
    weights += [1] * (len(choices) - len(weights))
    if question.kind != Question.Kind.MULTIPLE:
        return [rng.choices(choices, weights=weights)[0]]
    low = question.min_choices or 1
    high = min(question.max_choices or 3, len(choices))
    count = rng.randint(low, high)
    picked: list = []
    pool, pool_weights = list(choices), list(weights)
    while len(picked) < count:
        index = rng.choices(range(len(pool)), weights=pool_weights)[0]
        picked.append(pool.pop(index))
        pool_weights.pop(index)
    return picked


def _integer(code: str, entry: DirectoryEntry, rng: random.Random) -> int:
    if code == "population":
        return entry.population or rng.randrange(20_000, 150_000, 500)
    ranges = {"adherents": (15, 260), "part_rurale": (10, 90), "communes": (12, 130)}
    low, high = ranges.get(code, (1, 100))
    return rng.randint(low, high)
