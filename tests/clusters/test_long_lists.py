"""Long lists count only as far as they must, and searches rank only their most recent
matches: what a visitor sees at the edges."""

import pytest

from core import pagination, search
from tests.factories.clusters import make_entry, make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight_practices():
    lead = make_entry("Cluster Bois")
    return [make_practice(f"Scierie partagée {n}", lead=lead) for n in range(8)]


def test_a_list_beyond_the_bound_says_more_and_still_pages_on(client, eight_practices, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 5)
    monkeypatch.setattr("clusters.views.PAGE_SIZE", 2)
    first = client.get("/pratiques/")
    assert first.context["paginator"].more
    assert "plus de 5" in first.content.decode()
    # The last page of what was counted still offers the next one...
    third = client.get("/pratiques/?page=3")
    assert third.context["page_obj"].has_next()
    assert 'rel="next"' in third.content.decode()
    # ...and a page asked beyond the bound is counted up to and shown.
    fourth = client.get("/pratiques/?page=4")
    titles = [p.title for p in fourth.context["results"]]
    assert len(titles) == 2
    assert not fourth.context["page_obj"].has_next()
    assert fourth.context["paginator"].count == 8
    assert not fourth.context["paginator"].more


def test_a_list_within_the_bound_gives_its_exact_total(client, eight_practices):
    page = client.get("/pratiques/")
    assert page.context["paginator"].count == 8
    assert not page.context["paginator"].more
    assert "plus de" not in page.content.decode()


def test_a_common_word_ranks_only_its_most_recent_matches(client, eight_practices, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 3)
    page = client.get("/pratiques/?q=scierie")
    body = page.content.decode()
    assert page.context["paginator"].more
    assert "plus de 3" in body
    shown = {p.title for p in page.context["results"]}
    # The three published last, in relevance order.
    assert shown == {f"Scierie partagée {n}" for n in (5, 6, 7)}


def test_the_site_search_says_more_past_the_ranked_matches(client, eight_practices, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 3)
    page = client.get("/recherche/?q=scierie")
    groups = {g.key: g for g in page.context["search"].groups}
    assert groups["practices"].more
    assert groups["practices"].total == 3
    assert "Plus de 3 résultats" in page.content.decode()


@pytest.mark.parametrize("asked", ["2", "3", "50"])
def test_a_page_past_the_ranked_matches_shows_the_last_ranked_page(
    client, eight_practices, monkeypatch, asked
):
    # Four ranked matches on pages of two: the extra candidate (the fifth, which only
    # says there are more) would open a third page; it is never shown.
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 4)
    monkeypatch.setattr("clusters.views.PAGE_SIZE", 2)
    first = client.get("/pratiques/?q=scierie")
    ranked = [p.title for p in first.context["results"]]
    page = client.get(f"/pratiques/?q=scierie&page={asked}")
    assert page.context["page_obj"].number == 2
    shown = [p.title for p in page.context["results"]]
    assert len(shown) == 2
    assert not set(shown) & set(ranked)
    assert set(shown + ranked) == {f"Scierie partagée {n}" for n in (4, 5, 6, 7)}
    assert not page.context["page_obj"].has_next()


@pytest.mark.parametrize("order", ["", "&tri=titre", "&tri=annee"])
def test_a_deep_page_shows_the_same_rows_in_the_same_order(
    client, eight_practices, monkeypatch, django_assert_num_queries, order
):
    # Deep pages read their rows' ids first, then the rows: what they show is exactly
    # what a plain slice of the list would show, whatever the order asked for, for one
    # query more.
    monkeypatch.setattr("clusters.views.PAGE_SIZE", 2)

    def titles(number):
        return [p.title for p in client.get(f"/pratiques/?page={number}{order}").context["results"]]

    shallow = [title for number in (1, 2, 3, 4) for title in titles(number)]
    assert len(set(shallow)) == 8
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_OFFSET", 2)
    assert [title for number in (1, 2, 3, 4) for title in titles(number)] == shallow
    with django_assert_num_queries(4):  # count, ids, rows, partners
        titles(4)


def test_a_deep_page_of_the_directory_keeps_its_cards_whole(client, monkeypatch):
    for n in range(6):
        make_entry(f"Cluster Bois {n}", description="Filière bois et forêt.")
    monkeypatch.setattr("clusters.views.PAGE_SIZE", 2)
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_OFFSET", 2)
    page = client.get("/annuaire/?tri=nom&page=3")
    body = page.content.decode()
    assert [e.name for e in page.context["results"]] == ["Cluster Bois 4", "Cluster Bois 5"]
    assert "Filière bois et forêt." in body
