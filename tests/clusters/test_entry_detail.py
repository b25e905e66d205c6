"""Structure and territory pages: content, partners, potential partners, access, queries."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from clusters.models import Membership
from clusters.selectors import potential_partners
from tests.factories.clusters import make_entry, make_practice


def test_structure_page_shows_its_practices_partners_and_place(client, directory):
    response = client.get("/annuaire/structures/pole-bois-montagne/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pôle Bois Montagne" in html
    assert "Scieries et charpentiers du Livradois-Forez." in html
    assert "Coopérations pour le bois local des chantiers urbains" in html
    assert "Projet secret" not in html
    # The entries it works with, linked.
    assert 'href="/annuaire/territoires/metropole-de-lyon/"' in html
    assert 'href="/annuaire/structures/laboratoire-des-materiaux-biosources/"' in html
    assert 'data-map="point"' in html
    assert "Ambert, Puy-de-Dôme, Auvergne-Rhône-Alpes" in html


def test_a_territory_lives_under_its_own_address(client, directory):
    assert client.get("/annuaire/territoires/metropole-de-lyon/").status_code == 200
    assert client.get("/annuaire/structures/metropole-de-lyon/").status_code == 404


def test_potential_partners_cross_the_divide_with_their_reason(client, directory, forest_lab):
    suggestions = potential_partners(directory["bois"])
    # The lab and the metropolis already work with the pole; the other rural entry is not
    # across the divide. The institute shares two themes.
    assert [s.entry for s in suggestions] == [forest_lab]
    assert [t.name for t in suggestions[0].common_themes] == [
        "Bois et forêt",
        "Énergie et transition écologique",
    ]
    assert 80 < suggestions[0].distance_km < 95  # Ambert–Lyon, as the crow flies
    html = client.get("/annuaire/structures/pole-bois-montagne/").content.decode()
    assert "2 thèmes en commun : bois et forêt, énergie et transition écologique" in html


def test_potential_partners_rank_by_themes_then_distance(directory, places, themes):
    near = make_entry(
        "Pays voisin",
        category="territory",
        kind="pays",
        commune=places["saint_flour"],
        setting="rural",
        themes=[themes["bois-foret"]],
    )
    far = make_entry(
        "Pays lointain",
        category="territory",
        kind="pays",
        commune=places["lyon"],
        setting="rural",
        themes=[themes["bois-foret"]],
    )
    rich = make_entry(
        "Pays très proche par les thèmes",
        category="territory",
        kind="pays",
        commune=places["lyon"],
        setting="rural",
        themes=[themes["bois-foret"], themes["economie-circulaire"]],
    )
    names = [s.entry.name for s in potential_partners(directory["labo"])]
    assert names[:3] == [rich.name, near.name, far.name]
    assert directory["hidden"].name not in names


def test_no_suggestions_without_a_setting(directory):
    entry = directory["bois"]
    entry.setting = ""
    assert potential_partners(entry) == []


def test_unpublished_entries_are_hidden_from_the_public_but_not_from_their_people(
    client, directory, representative, outsider, staff_editor
):
    url = "/annuaire/structures/cluster-cache/"
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    Membership.objects.create(user=representative, entry=directory["hidden"])
    client.force_login(representative)
    assert client.get(url).status_code == 200
    client.force_login(staff_editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "est pas publiée : seuls l" in response.content.decode()


def test_detail_queries_do_not_grow_with_practices(client, directory, django_assert_num_queries):
    client.get("/annuaire/structures/pole-bois-montagne/")  # this process keeps the themes
    # The entry, its departments, practices, partners, the potential partners' ranking
    # (none here, so no rows to read): themes come from the kept ones.
    with django_assert_num_queries(5) as few:
        client.get("/annuaire/structures/pole-bois-montagne/")
    for number in range(15):
        partner = make_entry(
            f"Partenaire {number}", setting="urban", commune=directory["labo"].commune
        )
        make_practice(f"Pratique {number}", lead=directory["bois"], partners=[partner])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/annuaire/structures/pole-bois-montagne/")
    assert len(response.context["practices"]) == 16
    assert len(few.captured_queries) <= 12


# The page's three lists as its template wrote them before they were written from
# Python (``clusters.templatetags.directory_cards``): the reference markup.
OLD_LISTS = """{% load i18n humanize %}
{% for row in practices %}
<li class="surface mb-2">
  <span class="tag {% if row.role == 'lead' %}tag-wheat{% endif %}">{{ row.get_role_display|capfirst }}</span>
  <a class="fw-semibold ms-1" href="{{ row.practice.get_absolute_url }}">{{ row.practice.title }}</a>
  <p class="mb-0 small text-muted">{{ row.practice.summary|truncatewords:25 }}</p>
</li>
{% endfor %}
{% for partner in partners %}
<li class="col-md-6"><div class="surface h-100 py-2">
  <a href="{{ partner.get_absolute_url }}">{{ partner.name }}</a>
  <span class="small text-muted d-block">{{ partner.get_kind_display }}{% if partner.setting %} · {{ partner.get_setting_display }}{% endif %} · {% blocktranslate count counter=partner.shared %}{{ counter }} pratique commune{% plural %}{{ counter }} pratiques communes{% endblocktranslate %}</span>
</div></li>
{% endfor %}
{% for suggestion in potential_partners %}
<li class="surface mb-2 py-2">
  <a class="fw-semibold" href="{{ suggestion.entry.get_absolute_url }}">{{ suggestion.entry.name }}</a>
  <span class="tag tag-{{ suggestion.entry.setting }} ms-1">{{ suggestion.entry.get_setting_display|capfirst }}</span>
  <p class="mb-0 small">{% blocktranslate count counter=suggestion.common_themes|length %}{{ counter }} thème en commun :{% plural %}{{ counter }} thèmes en commun :{% endblocktranslate %} {% for theme in suggestion.common_themes %}{{ theme.name|lower }}{% if not forloop.last %}, {% endif %}{% endfor %}{% if suggestion.distance_km is not None %} · {{ suggestion.distance_km|intcomma }} km{% endif %}</p>
</li>
{% endfor %}"""  # noqa: E501 (the template as it was)

NEW_LISTS = """{% load directory_cards %}
{% for row in practices %}{% entry_practice_item row %}{% endfor %}
{% for partner in partners %}{% entry_partner_item partner %}{% endfor %}
{% for suggestion in potential_partners %}{% potential_partner_item suggestion %}{% endfor %}"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_lists_of_an_entry_page_keep_their_markup(client, directory, forest_lab, language):
    page = client.get("/annuaire/structures/pole-bois-montagne/")
    context = Context(
        {key: page.context[key] for key in ("practices", "partners", "potential_partners")}
    )
    assert all(context[key] for key in ("practices", "partners", "potential_partners"))
    with translation.override(language):
        old, new = Template(OLD_LISTS).render(context), Template(NEW_LISTS).render(context)
    assert re.sub(r">\s*<", "><", new).strip() == re.sub(r">\s*<", "><", old).strip()
    # What a reader sees between a role and its title, a name and its side: a space.
    assert "</span> <a" in new
    assert "</a> <span" in new
