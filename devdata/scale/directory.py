"""A realistic synthetic volume for benchmarks: `manage.py generate_scale_data`.

Rows are written with PostgreSQL's COPY and their derived columns (place, search vector,
filters, counters, vocabulary) computed by set-based SQL, so that 20,000 entries and
100,000 practices take a couple of minutes. Every generated slug starts with "scale-".
"""

import io
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from clusters import services
from clusters.models import STRUCTURE_KINDS, TERRITORY_KINDS, DirectoryEntry, Practice
from clusters.totals import theme_totals_refresh
from reference.models import Commune, FundingMeasure, Theme

PREFIX = "scale-"
STRUCTURE_WORDS = {
    "cluster": "Cluster",
    "pole": "Pôle de compétitivité",
    "tiers_lieu": "Tiers-lieu",
    "fab_lab": "Fab lab",
    "pepiniere": "Pépinière",
    "technopole": "Technopole",
    "research": "Laboratoire",
    "other_structure": "Association",
}
TERRITORY_WORDS = {
    "pays": "Pays",
    "petr": "PETR",
    "gal": "GAL",
    "epci": "Communauté de communes",
    "pnr": "Parc naturel régional",
    "other_territory": "Territoire",
}
SUBJECTS = [
    "bois local", "circuits courts", "coopération rurale", "énergie renouvelable",
    "tourisme durable", "numérique", "économie circulaire", "mobilité partagée",
    "santé et autonomie", "compétences", "artisanat", "agroalimentaire", "filière laine",
    "méthanisation", "télétravail", "restauration collective", "création d'entreprise",
    "recyclage", "innovation sociale", "patrimoine", "eau et irrigation", "forêt",
]  # fmt: skip
ACTIONS = [
    "Plateforme", "Réseau", "Atelier partagé", "Contrat de réciprocité", "Programme",
    "Coopérative", "Laboratoire vivant", "Formation", "Service mutualisé", "Marché",
]  # fmt: skip
SENTENCES = [
    "Les entreprises rurales et les laboratoires urbains travaillent ensemble sur {s}.",
    "Le territoire mutualise des moyens pour développer {s} avec la métropole voisine.",
    "Des producteurs s'organisent pour approvisionner la ville en {s}.",
    "Un lieu partagé accueille créateurs, salariés et chercheurs autour de {s}.",
    "La coopération entre élus, clusters et habitants fait émerger des projets de {s}.",
    "Des formations courtes préparent les artisans aux marchés de {s}.",
]
COPY_SEP = "\t"


def _escape(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write(COPY_SEP.join(_escape(v) for v in row) + "\n")
        count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
        )
    return count


def scale_data_vacuum() -> None:
    """Refresh statistics and visibility maps after a bulk load (outside a transaction),
    as autovacuum would in time: counts then run as index-only scans."""
    tables = [
        "clusters_directoryentry", "clusters_directoryentry_themes", "clusters_practice",
        "clusters_practicepartner", "clusters_practice_themes",
        "clusters_practice_funding_measures", "core_searchword",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def scale_data_exists() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM clusters_directoryentry WHERE slug LIKE %s", [PREFIX + "%"]
        )
        return cursor.fetchone()[0]


REFERENCES = """
    SELECT c.conrelid::regclass::text, a.attname, fa.attname
      FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
     WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND c.conrelid <> c.confrelid
"""


def _delete_with_dependents(cursor, table: str, where: str, params: list) -> None:
    """Delete the rows of ``table`` matching ``where`` after every row that references
    them, found in PostgreSQL's catalogue (Django's foreign keys do not cascade in the
    database, and its own cascade would load every row into memory)."""
    cursor.execute(REFERENCES, [table])
    for child, column, target in cursor.fetchall():
        nested = f"{column} IN (SELECT {target} FROM {table} WHERE {where})"  # noqa: S608
        _delete_with_dependents(cursor, child, nested, params)
    cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608 (catalogue names)


@transaction.atomic
def scale_data_clear() -> None:
    """Remove what a previous run generated, and whatever refers to it (survey answers
    of generated structures, their registrations…)."""
    with connection.cursor() as cursor:
        for table in ("clusters_practice", "clusters_directoryentry"):
            _delete_with_dependents(cursor, table, "slug LIKE %s", [PREFIX + "%"])
    theme_totals_refresh()


@transaction.atomic
def scale_data_generate(
    *, entries: int = 20_000, practices: int = 100_000, seed: int = 2015
) -> dict:
    """Create ``entries`` structures and territories and ``practices`` practices, with
    partners on both sides of the rural–urban divide, as the portal would hold them."""
    rng = random.Random(seed)
    communes = list(
        Commune.objects.exclude(latitude=None).values_list(
            "id",
            "name",
            "department_id",
            "department__region_id",
            "latitude",
            "longitude",
            "population",
        )
    )
    if not communes:
        raise RuntimeError("Load the reference data first: manage.py load_reference_data")
    # Bigger communes host more structures, as in life.
    weights = [max(population or 100, 100) ** 0.5 for *_, population in communes]
    themes = list(Theme.objects.values_list("id", "name"))
    measures = list(FundingMeasure.objects.values_list("id", flat=True))
    now = datetime.now(UTC)

    n_structures = int(entries * 0.6)
    entry_rows = []
    picked = rng.choices(communes, weights=weights, k=entries)
    for i, (commune_id, commune_name, department_id, region_id, lat, lon, population) in enumerate(
        picked
    ):
        structure = i < n_structures
        kind = rng.choice(STRUCTURE_KINDS if structure else TERRITORY_KINDS).value
        label = (STRUCTURE_WORDS if structure else TERRITORY_WORDS)[kind]
        subject = rng.choice(SUBJECTS)
        name = f"{label} {subject} {commune_name} {i}"
        setting = (
            "urban"
            if (population or 0) > 50_000
            else rng.choice(["rural", "rural", "peri_urban", "urban"])
        )
        description = " ".join(
            rng.choice(SENTENCES).format(s=rng.choice(SUBJECTS)) for _ in range(3)
        )
        created = now - timedelta(days=rng.randint(0, 900))
        entry_rows.append(
            (
                "structure" if structure else "territory", kind, name, "", f"{PREFIX}{i}",
                description, "", "", "", "", commune_id, department_id, region_id,
                None, None if structure else rng.randint(5_000, 200_000),
                lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01), setting,
                True, 0, created, now - timedelta(days=rng.randint(0, 400)), True, created,
                "{}",  # theme_ids: filled with the search vectors (services.entry_index)
            )
        )  # fmt: skip
    _copy(
        "clusters_directoryentry",
        [
            "category", "kind", "name", "acronym", "slug", "description", "website", "email",
            "phone", "address", "commune_id", "department_id", "region_id", "epci_id",
            "population", "latitude", "longitude", "setting", "published",
            "published_practice_count", "created_at", "updated_at", "accepts_messages",
            "published_at", "theme_ids",
        ],
        entry_rows,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, setting FROM clusters_directoryentry WHERE slug LIKE %s ORDER BY id",
            [PREFIX + "%"],
        )
        ids = cursor.fetchall()
    entry_ids = [row[0] for row in ids]
    rural_ids = [row[0] for row in ids if row[1] == "rural"]
    urban_ids = [row[0] for row in ids if row[1] != "rural"]

    _copy(
        "clusters_directoryentry_themes",
        ["directoryentry_id", "theme_id"],
        (
            (entry_id, theme_id)
            for entry_id in entry_ids
            for theme_id in rng.sample([t[0] for t in themes], rng.randint(1, 3))
        ),
    )

    kinds = [k.value for k in Practice.Kind]
    statuses = [s.value for s in Practice.Status]
    practice_rows = []
    for i in range(practices):
        subject = rng.choice(SUBJECTS)
        state = "published" if rng.random() < 0.95 else "proposed"
        start = rng.randint(2008, 2024)
        status = rng.choice(statuses)
        end = start + rng.randint(1, 6) if status in ("completed", "stopped") else None
        summary = rng.choice(SENTENCES).format(s=subject)
        body = " ".join(rng.choice(SENTENCES).format(s=rng.choice(SUBJECTS)) for _ in range(4))
        practice_rows.append(
            (
                f"{rng.choice(ACTIONS)} {subject} {i}", f"{PREFIX}{i}", summary, body,
                rng.choice(kinds), "Le savoir-faire et les ressources du territoire.",
                "Des débouchés, de la recherche et des compétences.", start, end, status, "",
                "Des emplois créés et des coopérations durables.", "Un animateur dédié.",
                "Sous-estimer le temps de la coopération.", state, "", None,
                now - timedelta(days=rng.randint(0, 3000)) if state == "published" else None,
                now, now, False, "", "{}", "{}", "{}",
            )
        )  # fmt: skip
    _copy(
        "clusters_practice",
        [
            "title", "slug", "summary", "body", "kind", "rural_contribution",
            "urban_contribution", "start_year", "end_year", "status", "funding", "results",
            "success_factors", "pitfalls", "state", "rejection_reason", "proposer_id",
            "published_at", "created_at", "updated_at", "rural_urban", "lead_kind",
            "region_codes", "department_codes", "theme_ids",
        ],
        practice_rows,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM clusters_practice WHERE slug LIKE %s ORDER BY id", [PREFIX + "%"]
        )
        practice_ids = [row[0] for row in cursor.fetchall()]

    def partners():
        for practice_id in practice_ids:
            lead = rng.choice(rural_ids if rng.random() < 0.6 else urban_ids)
            others = set()
            for _ in range(rng.randint(1, 3)):
                others.add(rng.choice(urban_ids if rng.random() < 0.6 else rural_ids))
            others.discard(lead)
            yield (practice_id, lead, "", "lead", 0)
            for position, other in enumerate(sorted(others), start=1):
                yield (practice_id, other, "", "partner", position)

    _copy(
        "clusters_practicepartner",
        ["practice_id", "entry_id", "name", "role", "position"],
        partners(),
    )
    _copy(
        "clusters_practice_themes",
        ["practice_id", "theme_id"],
        (
            (pid, tid)
            for pid in practice_ids
            for tid in rng.sample([t[0] for t in themes], rng.randint(1, 2))
        ),
    )
    _copy(
        "clusters_practice_funding_measures",
        ["practice_id", "fundingmeasure_id"],
        ((pid, rng.choice(measures)) for pid in practice_ids if rng.random() < 0.7),
    )
    _derive(PREFIX + "%")
    return {"entries": len(entry_ids), "practices": len(practice_ids)}


ANALYSED = (
    "clusters_directoryentry",
    "clusters_directoryentry_themes",
    "clusters_practice",
    "clusters_practice_themes",
    "clusters_practicepartner",
)


def _derive(pattern: str) -> None:
    """Derived columns of the generated rows, written by the services that write them for
    the portal (set-based: one statement per kind of column)."""
    statements = [
        # Entries: count of published practices.
        """UPDATE clusters_directoryentry e SET published_practice_count = n.count
           FROM (SELECT pp.entry_id, count(DISTINCT pp.practice_id) AS count
                   FROM clusters_practicepartner pp
                   JOIN clusters_practice p ON p.id = pp.practice_id AND p.state = 'published'
                  GROUP BY pp.entry_id) n
          WHERE n.entry_id = e.id AND e.slug LIKE %(pattern)s""",
    ]
    with connection.cursor() as cursor:
        # Fresh statistics first: on tables just filled by COPY, the planner would
        # otherwise guess row counts and can pick a join that runs for many minutes.
        cursor.execute(f"ANALYZE {', '.join(ANALYSED)}")
        for sql in statements:
            cursor.execute(sql, {"pattern": pattern} if "%(pattern)s" in sql else None)
    prefix = pattern.rstrip("%")
    services.entry_index(DirectoryEntry.objects.filter(slug__startswith=prefix))
    services.practices_index(Practice.objects.filter(slug__startswith=prefix))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(ANALYSED)}")
