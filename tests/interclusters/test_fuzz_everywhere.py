"""Junk in every path parameter (tokens, slugs, ids), in the query strings of the staff
pages, and in every form of every role, the admin's included: never a server error, and a
French page for what is refused."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
# What robots and mistakes put in an address, per converter (a value a converter refuses
# gives the ordinary 404, which is fine).
JUNK = {
    "int": ["0", "9" * 30, "00000000000000000001"],
    "slug": ["x", "a" * 500, "--", "9" * 30],
    "str": ["%00", "a" * 3000, "%2e%2e%2f%2e%2e", "%C3%A9%C3%A9", "%3Cscript%3E", "x%00y"],
    "path": ["9" * 30, "abc", "%00", "1%20OR%201=1", "-1", "0"],
    None: ["%00", "a" * 300, "x"],
}


def routes(patterns=None, prefix="") -> list[str]:
    """Every route of the project, the admin's included, with its converters."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and CONVERTER.search(route):
            found.append(route)
    return found


# The admin's own change, delete and history pages are Django's, the same view for every
# model: a few values there; every value for the project's own views.
GENERIC_ADMIN = re.compile(r"^admin/\w+/\w+/<path:object_id>/(change|delete|history)/$")


def junk_urls(route: str) -> list[str]:
    urls = []
    for match in CONVERTER.finditer(route):
        values = JUNK.get(match["kind"], JUNK[None])
        if GENERIC_ADMIN.match(route.lstrip("^").replace("\\Z", "")):
            values = values[:3]
        for junk in values:
            url = route.replace(match.group(0), junk, 1)
            url = CONVERTER.sub("1", url)  # the other parameters: a plausible value
            urls.append("/" + url.lstrip("^").rstrip("$").replace("\\Z", ""))
    return urls


@pytest.fixture
def clients(world, member, representative, staff_editor, settings):
    for name in ("REGISTRATION_RATE", "PROPOSAL_RATE"):
        setattr(settings, name, "100000/s")
    settings.ACCOUNT_RATE_LIMITS = False  # django-allauth's limits off while fuzzing
    settings.SURVEY_TOKEN_RATE = "100000/s"
    people = {"anonymous": Client(), "member": Client(), "staff": Client()}
    people["member"].force_login(member)
    people["staff"].force_login(staff_editor)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    people["superuser"] = Client()
    people["superuser"].force_login(superuser)
    return people


def test_junk_in_every_path_parameter_is_never_a_server_error(clients):
    every = routes()
    assert len(every) > 60, "the admin's routes are walked too"
    broken = []
    for route in every:
        # The admin as a superuser, who reaches every page of it; the site as a visitor
        # and as a member.
        roles = ("superuser",) if route.startswith("admin/") else ("anonymous", "member")
        for url in junk_urls(route):
            for role in roles:
                for method in ("get", "post"):
                    response = getattr(clients[role], method)(url)
                    if response.status_code >= 500:
                        broken.append(f"{method.upper()} {url[:120]} as {role}")
    assert not broken, "\n".join(broken)


nasty = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "", "0", "-1", "9" * 30, "1e309", "NaN", "' OR 1=1 --", "<script>alert(1)</script>",
        "\x00", "a" * 3000, "=1+1", "confirmed", "all", "2015-13-45", "on",
    ]),
)  # fmt: skip
query_strings = st.dictionaries(
    st.one_of(
        st.sampled_from(["q", "statut", "region", "type", "page", "o", "p", "e", "all"]),
        st.text(max_size=8),
    ),
    nasty,
    max_size=4,
)


@FUZZ
@given(params=query_strings)
def test_staff_pages_take_any_query_string(clients, world, params):
    event, survey = world["event"], world["survey"]
    for url in (
        f"/agenda/{event.slug}/accueil/",
        f"/agenda/{event.slug}/inscrits.csv",
        f"/agenda/{event.slug}/inscrits.xlsx",
        f"/enquetes/{survey.slug}/tableau-de-bord/",
        f"/enquetes/{survey.slug}/export.csv",
        "/admin/clusters/practice/",
        "/admin/events/registration/",
        "/admin/surveys/answer/",
        "/admin/clusters/organisation/importer/",
    ):
        response = clients["superuser"].get(url, params)
        assert response.status_code < 500, (url, params)


forms = st.dictionaries(
    st.one_of(
        st.sampled_from([
            "registration", "present", "q", "statut", "name", "title", "slug", "number",
            "status", "kind", "capacity", "starts_at", "ends_at", "email", "action",
            "_selected_action", "apply", "reason", "token", "survey", "themes",
        ]),
        st.text(min_size=1, max_size=12),
    ),
    nasty,
    max_size=8,
)  # fmt: skip


def admin_add_urls() -> list[str]:
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        for model in admin.site._registry
    ]


@settings(FUZZ, max_examples=8)
@given(data=forms)
def test_every_admin_form_and_action_takes_junk(clients, world, data):
    staff = clients["superuser"]
    for url in admin_add_urls():
        assert staff.post(url, data).status_code < 500, (url, data)
    for url in ("/admin/clusters/practice/", "/admin/events/registration/",
                "/admin/surveys/invitation/", "/admin/mementos/memento/"):  # fmt: skip
        assert staff.post(url, data).status_code < 500, (url, data)


@FUZZ
@given(data=forms)
def test_staff_forms_take_junk(clients, world, data):
    event = world["event"]
    for role in ("staff", "superuser"):
        for url in (
            f"/agenda/{event.slug}/accueil/",
            f"/admin/surveys/survey/{world['survey'].pk}/inviter/",
            "/admin/clusters/organisation/importer/",
            f"/admin/clusters/practice/{world['wood'].pk}/refuser/",
        ):
            assert clients[role].post(url, data).status_code < 500, (url, data)


def test_refusals_speak_french(clients):
    page = clients["anonymous"].get("/agenda/inscription/%00/")
    assert page.status_code == 400
    assert "Requête incorrecte" in page.content.decode()
    wrong_method = clients["member"].get("/agenda/mes-inscriptions/1/annuler/")
    assert wrong_method.status_code == 405
    assert "Action impossible à cette adresse" in wrong_method.content.decode()
    deep = clients["anonymous"].get("/annuaire/", {"q": "bois", "page": "9" * 30})
    assert deep.status_code == 200
