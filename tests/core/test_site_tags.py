"""The navigation links every page shows."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

NAV = Template("{% load site_tags %}{% nav_item name label exact=exact %}")


def nav(path: str, name: str, label: str = "Annuaire", exact: bool = False) -> str:
    request = RequestFactory().get(path)
    return NAV.render(Context({"request": request, "name": name, "label": label, "exact": exact}))


def test_the_section_of_the_page_is_marked_current():
    html = nav("/annuaire/structures/pole-bois/", "clusters:directory")
    assert html == (
        '<li class="nav-item"><a class="nav-link active" href="/annuaire/" '
        'aria-current="page">Annuaire</a></li>'
    )


def test_another_section_is_a_plain_link():
    html = nav("/pratiques/", "clusters:directory")
    assert html == '<li class="nav-item"><a class="nav-link" href="/annuaire/">Annuaire</a></li>'


def test_an_exact_link_is_current_on_its_own_page_only():
    assert "aria-current" in nav("/", "home", "Accueil", exact=True)
    assert "aria-current" not in nav("/annuaire/", "home", "Accueil", exact=True)


def test_a_page_that_does_not_exist_yet_is_left_out_and_labels_are_escaped():
    assert nav("/", "nowhere:at-all") == ""
    assert "&lt;b&gt;" in nav("/", "clusters:directory", "<b>Annuaire</b>")


@pytest.mark.django_db
def test_every_page_shows_the_navigation_with_its_current_section(client):
    html = client.get("/pratiques/").content.decode()
    assert 'href="/pratiques/" aria-current="page">Pratiques</a>' in html
    assert '<a class="nav-link" href="/annuaire/">Annuaire</a>' in html
