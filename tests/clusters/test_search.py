"""French full-text search: accents, case, stemming, ranking, typos, published only."""

import pytest

from clusters.models import DirectoryEntry, Practice
from core.search import clean_query, search
from tests.factories.clusters import make_practice


@pytest.mark.parametrize("text", ["coopération", "cooperation", "COOPERATION", "Coopérations"])
def test_search_ignores_accents_and_case_and_stems(directory, text):
    outcome = search(Practice.objects.published(), text)
    # The title says it; the other practice is only of the kind "projet de coopération".
    ranked = [p.title for p in outcome.queryset.order_by("-rank")]
    assert ranked[0] == "Coopérations pour le bois local des chantiers urbains"
    assert "Projet secret de scierie mobile" not in ranked
    assert outcome.corrected is None


def test_a_typo_is_corrected_from_the_published_vocabulary(directory):
    outcome = search(Practice.objects.published(), "agroalimentiare")
    assert outcome.corrected == "agroalimentaire"
    assert [p.title for p in outcome.queryset] == ["Circuits courts agroalimentaires"]


def test_words_only_in_unpublished_content_never_correct_a_search(directory):
    outcome = search(Practice.objects.published(), "secret")
    assert list(outcome.queryset) == []
    assert search(DirectoryEntry.objects.published(), "caché").queryset.count() == 0


def test_a_match_in_the_title_ranks_above_a_match_in_the_text(directory):
    lead = directory["bois"]
    make_practice("Tourisme de pleine nature", lead=lead, summary="Randonnées et séjours.")
    make_practice(
        "Accueil d'actifs", lead=lead, summary="Des actifs citadins découvrent le tourisme rural."
    )
    outcome = search(Practice.objects.published(), "tourisme")
    titles = [p.title for p in outcome.queryset.order_by("-rank")]
    assert titles == ["Tourisme de pleine nature", "Accueil d'actifs"]


def test_entries_are_found_by_acronym_place_and_theme(directory):
    entries = DirectoryEntry.objects.published()
    assert [e.name for e in search(entries, "PBM").queryset] == ["Pôle Bois Montagne"]
    assert {e.name for e in search(entries, "ambert").queryset} == {"Pôle Bois Montagne"}
    assert {e.name for e in search(entries, "economie circulaire").queryset} == {
        "Laboratoire des matériaux biosourcés"
    }


@pytest.mark.parametrize(
    "raw",
    [
        "x" * 10_000,
        "' OR 1=1; DROP TABLE clusters_practice; --",
        '"bois',
        "bois & | ! ( ) :*",
        "\x00\x01bois",
        "-",
        "",
    ],
)
def test_any_input_is_a_valid_query(directory, raw):
    outcome = search(Practice.objects.published(), raw)
    list(outcome.queryset)
    assert len(clean_query(raw)) <= 200
