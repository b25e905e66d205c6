"""Every URL of the project, walked as each kind of person: each gets only what DESIGN.md
§5 allows. A new URL pattern that is not in the table makes this test fail."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db
LOGIN = "login"  # the table's mark for "sent to the sign-in page"


def url_names(patterns=None, namespace=None) -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            names |= url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_table(url_table):
    assert url_names() == set(url_table)


def test_every_url_gives_each_person_only_what_they_may_see(
    url_table, member, representative, staff_editor
):
    clients = {"anonymous": Client()}
    for role, user in (
        ("member", member), ("representative", representative), ("staff", staff_editor),
    ):  # fmt: skip
        clients[role] = Client()
        clients[role].force_login(user)
    wrong = []
    for name, cases in url_table.items():
        for url, expected in cases:
            for role, want in expected.items():
                response = clients[role].get(url)
                got = response.status_code
                if want == LOGIN:
                    location = response.get("Location", "")
                    ok = got == 302 and location.startswith("/compte/connexion/")
                else:
                    ok = got == want
                if not ok:
                    wrong.append(f"{name} {url} as {role}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)


def test_cancelling_someone_else_s_registration_is_not_found(world, representative, member):
    registration = world["registration"]
    other = Client()
    other.force_login(representative)
    assert other.post(f"/agenda/mes-inscriptions/{registration.pk}/annuler/").status_code == 404
    assert Client().post("/agenda/inscription/faux-jeton/annuler/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    owner = Client()
    owner.force_login(member)
    assert owner.post(f"/agenda/mes-inscriptions/{registration.pk}/annuler/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"
