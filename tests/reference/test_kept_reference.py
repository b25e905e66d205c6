"""The themes and FEADER measures each process keeps for the list pages: read once, no
query afterwards, and never stale past a change (at once in the process that made it,
within the content versions' delay in the others)."""

from django.core.cache import caches
from django.db.models import F

from core import pagecache
from core.models import ContentVersion
from reference import selectors
from reference.models import FundingMeasure, Theme


def test_kept_themes_cost_no_query_once_read(db, django_assert_num_queries):
    themes, measures = selectors.themes(), selectors.funding_measures()
    assert [theme.slug for theme in themes] == list(Theme.objects.values_list("slug", flat=True))
    assert [m.code for m in measures] == list(FundingMeasure.objects.values_list("code", flat=True))
    with django_assert_num_queries(0):
        assert selectors.themes() == themes
        assert selectors.funding_measures() == measures


def test_a_theme_renamed_here_shows_at_once_on_the_lists(client, directory, themes):
    client.get("/annuaire/")  # this process now keeps the themes
    theme = themes["bois-foret"]
    theme.name = "Forêts et filière bois"
    theme.save()
    html = client.get("/annuaire/?theme=bois-foret").content.decode()
    assert "Forêts et filière bois" in html  # the filter's label and the cards' tags
    assert html.count("Forêts et filière bois") >= 3
    practices = client.get("/pratiques/").content.decode()
    assert "Forêts et filière bois" in practices


def test_a_theme_added_elsewhere_is_read_again_once_the_versions_move(client, directory):
    client.get("/annuaire/")
    # Another process adds a theme and commits: here, only the rows and the versions move
    # (a bulk insert sends no signal), and the versions this process trusts expire.
    Theme.objects.bulk_create([Theme(slug="montagne", name="Montagne", position=99)])
    assert "Montagne" not in [theme.name for theme in selectors.themes()]
    ContentVersion.objects.update(counter=F("counter") + 1)
    ContentVersion.objects.get_or_create(kind="directory", defaults={"counter": 1})
    caches["local"].delete(pagecache.VERSIONS_KEY)
    assert "Montagne" in [theme.name for theme in selectors.themes()]
    response = client.get("/annuaire/?theme=montagne")
    assert response.status_code == 200
    assert 'value="montagne"' in response.content.decode()


def test_an_unknown_theme_or_measure_is_refused_and_the_list_still_shows(client, directory):
    response = client.get("/pratiques/?theme=nulle-part&mesure=M99&q=bois")
    assert response.status_code == 400
    html = response.content.decode()
    assert "nulle-part" in html  # said, with what was typed
    assert "M99" in html
    assert 'value="bois"' in html


def test_cards_show_their_themes_in_order_and_the_lead(client, directory, themes):
    html = client.get("/annuaire/?q=Métropole").content.decode()
    card = html[html.index("Métropole de Lyon") :]
    card = card[: card.index("</article>")]
    # The themes' own order (position, then name), whatever order they were given in.
    positions = [card.index(themes[slug].name) for slug in
                 sorted(["agroalimentaire", "bois-foret", "energie-transition-ecologique"],
                        key=lambda s: (themes[s].position, themes[s].name))]  # fmt: skip
    assert positions == sorted(positions)
    practices = client.get("/pratiques/").content.decode()
    assert "Chef de file :" in practices
