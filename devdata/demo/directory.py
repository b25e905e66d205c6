"""Load the directory's demo content (devdata/data/directory.json). Idempotent: what
exists is left as it is."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

from clusters import services
from clusters.models import Category, DirectoryEntry, Membership, Practice
from devdata.data import load
from reference.models import Commune, Department, FundingMeasure, Theme

PARIS = ZoneInfo("Europe/Paris")
DATA = load("directory")


@transaction.atomic
def directory_demo_load(*, people: dict) -> dict[str, int]:
    """Create the demo structures, territories and practices that do not exist yet, and
    link the demo people to them. ``people`` maps demo account keys to users."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    communes = {
        c.code: c
        for c in Commune.objects.filter(
            code__in=[row["commune"] for row in DATA["structures"].values()]
            + [row["commune"] for row in DATA["territories"].values()]
        )
    }
    departments = {d.code: d for d in Department.objects.all()}
    entries = {e.slug: e for e in DirectoryEntry.objects.filter(slug__in=demo_entry_slugs())}

    for key, row in DATA["structures"].items():
        if key in entries:
            continue
        entry = DirectoryEntry(
            category=Category.STRUCTURE, slug=key, name=row["name"], acronym=row["acronym"],
            kind=row["kind"], commune=communes[row["commune"]], setting=row["setting"],
            description=row["description"], published=True,
            website=f"https://{key}.exemple.fr", email=f"contact@{key}.exemple.fr",
        )  # fmt: skip
        entries[key] = services.entry_save(
            entry=entry, themes=[themes[slug] for slug in row["themes"]]
        )
    for key, row in DATA["territories"].items():
        if key in entries:
            continue
        entry = DirectoryEntry(
            category=Category.TERRITORY, slug=key, name=row["name"], kind=row["kind"],
            commune=communes[row["commune"]], setting=row["setting"],
            description=row["description"], published=True, population=row["population"],
            website=f"https://{key}.exemple.fr",
            email=f"contact@{key}.exemple.fr",
        )  # fmt: skip
        entries[key] = services.entry_save(
            entry=entry,
            themes=[themes[slug] for slug in row["themes"]],
            departments=[departments[code] for code in row["departments"]],
        )

    measures = {m.code: m for m in FundingMeasure.objects.all()}
    existing = set(Practice.objects.values_list("slug", flat=True))
    proposer = people.get(DATA["proposer"])
    first_publication = datetime(2016, 3, 1, 10, 0, tzinfo=PARIS)
    for number, row in enumerate(DATA["practices"]):
        slug = slugify(row["title"])[:200]
        if slug in existing:
            continue
        state = row["state"]
        practice = Practice(
            slug=slug,
            title=row["title"],
            kind=row["kind"],
            summary=row["summary"],
            rural_contribution=row["rural_contribution"],
            urban_contribution=row["urban_contribution"],
            results=row["results"],
            success_factors=row["success_factors"],
            pitfalls=row["pitfalls"],
            start_year=row["start_year"],
            end_year=row["end_year"],
            status=row["status"],
            state=state,
            proposer=proposer if state != Practice.State.PUBLISHED else None,
            published_at=first_publication + timedelta(days=45 * number)
            if state == Practice.State.PUBLISHED
            else None,
            rejection_reason="Projet abandonné : rien à partager pour l'instant."
            if state == Practice.State.REJECTED
            else "",
        )
        partners = [services.PartnerInput(role="lead", entry=entries[row["lead"]])] + [
            services.PartnerInput(role="partner", entry=entries[key]) for key in row["partners"]
        ]
        services.practice_save(
            practice=practice,
            themes=[themes[slug] for slug in row["themes"]],
            funding_measures=[measures[code] for code in row["measures"]],
            partners=partners,
            links=[("Fiche du projet (démonstration)", f"https://projets.exemple.fr/{slug}")],
        )

    for person_key, entry_keys in DATA["representatives"].items():
        user = people.get(person_key)
        for key in entry_keys if user else []:
            Membership.objects.get_or_create(
                user=user, entry=entries[key], defaults={"role": Membership.Role.REPRESENTATIVE}
            )
    return {
        "entries": DirectoryEntry.objects.filter(slug__in=demo_entry_slugs()).count(),
        "practices": Practice.objects.count(),
    }


def demo_entry_slugs() -> list[str]:
    return [*DATA["structures"], *DATA["territories"]]
