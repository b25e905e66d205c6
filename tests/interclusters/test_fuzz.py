"""Property-based fuzzing (hypothesis) of every public query string and form: whatever
comes in, the answer is never a server error."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters.models import Membership
from surveys import services as survey_services
from tests.factories.events import make_event
from tests.factories.surveys import definition, invite

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as people and robots send it: any Unicode, control characters, very long strings,
# numbers out of range, SQL and HTML fragments.
nasty = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from([
        "", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "null", "true",
        "' OR 1=1 --", "<script>alert(1)</script>", "%00", "\x00", "../../etc/passwd",
        "a" * 3000, "bois-foret", "84", "63", "rural", "cluster", "structure", "2015",
    ]),
)  # fmt: skip
FILTER_KEYS = [
    "q", "page", "tri", "categorie", "type", "region", "departement", "theme", "milieu",
    "lieu_innovation", "avec_pratiques", "mesure", "rural_urbain", "chef_de_file", "statut",
    "annee_min", "annee_max", "format", "bbox", "z", "random",
]  # fmt: skip
query_strings = st.dictionaries(
    st.one_of(st.sampled_from(FILTER_KEYS), st.text(max_size=8)),
    st.one_of(nasty, st.lists(nasty, max_size=3)),
    max_size=5,
)
LIST_PAGES = [
    "/annuaire/", "/pratiques/", "/carte/", "/carte/donnees.geojson", "/agenda/",
    "/mementos/", "/recherche/", "/themes/", "/enquetes/", "/annuaire/export.csv",
    "/pratiques/export.geojson", "/annuaire/autocompletion/", "/", "/agenda.ics",
]  # fmt: skip


@pytest.fixture
def setting_up(directory, settings):
    for name in ("REGISTRATION_RATE", "PROPOSAL_RATE"):
        setattr(settings, name, "100000/s")
    settings.ACCOUNT_RATE_LIMITS = False  # django-allauth's limits off while fuzzing
    settings.SURVEY_TOKEN_RATE = "100000/s"
    return directory


@FUZZ
@given(page=st.sampled_from(LIST_PAGES), params=query_strings)
def test_public_query_strings_never_break_a_page(setting_up, page, params):
    response = Client().get(page, params)
    assert response.status_code < 500, (page, params)
    if response.status_code == 400:
        assert b"Certains filtres" in response.content or response.content


forms = st.dictionaries(st.text(min_size=1, max_size=20), nasty, max_size=6)


@FUZZ
@given(data=forms, which=st.sampled_from(["/compte/inscription/", "/compte/connexion/",
                                           "/compte/mot-de-passe/oublie/"]))  # fmt: skip
def test_account_forms_never_break(setting_up, data, which):
    assert Client().post(which, data).status_code < 500


@FUZZ
@given(data=forms, extra=forms)
def test_member_forms_never_break(setting_up, member, data, extra):
    event = _event()
    client = Client()
    client.force_login(member)
    for url in (
        "/pratiques/proposer/",
        f"/agenda/{event.slug}/inscription/",
        f"/agenda/{event.slug}/proposer/",
        "/compte/profil/",
    ):
        assert client.post(url, {**data, **extra}).status_code < 500, url


@FUZZ
@given(data=forms, number=st.integers(min_value=-3, max_value=6), action=nasty)
def test_survey_pages_never_break(setting_up, data, number, action):
    survey = _survey()
    token = _token(survey, setting_up["bois"])
    questions = {q.code: q for q in survey.sections.first().questions.all()}
    payload = {**data, "action": action}
    for code in ("adherents", "etp", "type", "secteurs", "difficulte"):
        payload.setdefault(f"q_{questions[code].pk}", action)
    response = Client().post(f"/enquetes/r/{token}/section/{max(number, 0)}/", payload)
    assert response.status_code < 500


@FUZZ
@given(data=forms)
def test_the_representative_s_forms_never_break(setting_up, representative, data):
    Membership.objects.get_or_create(
        user=representative,
        entry=setting_up["bois"],
        defaults={"role": Membership.Role.REPRESENTATIVE},
    )
    client = Client()
    client.force_login(representative)
    url = f"{setting_up['bois'].get_absolute_url()}modifier/"
    assert client.post(url, data).status_code < 500


def _event():
    from events.models import Event

    return Event.objects.filter(slug="journee-fuzz").first() or make_event(
        "Journée fuzz", workshops=(("Atelier A", 5), ("Atelier B", 5))
    )


def _survey():
    from surveys.models import Survey

    return (
        Survey.objects.filter(slug="enquete-test").first()
        or survey_services.survey_load(definition())[0]
    )


def _token(survey, entry):
    from surveys.models import Invitation

    invitation = Invitation.objects.filter(survey=survey, entry=entry).first()
    if invitation:
        return invitation.token
    entry.email = "contact@bois.fr"
    entry.save(update_fields=["email"])
    return invite(survey, entry)[1]
