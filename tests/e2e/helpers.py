"""Helpers for the browser journeys."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.markers import REAL_TRANSACTIONS

SERIOUS = {"serious", "critical"}

# Each module marks itself with E2E: transactional, so that the live server's thread sees
# what the test writes; restoring the migrations' data keeps the staff groups.
E2E = [pytest.mark.e2e, REAL_TRANSACTIONS]


def assert_accessible(page: Page) -> None:
    """Fail on any serious or critical axe-core violation on the page as it stands."""
    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    if violations:
        lines = []
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}"
            )
        pytest.fail(
            f"axe found {len(violations)} serious violation(s) on {page.url}:\n" + "\n".join(lines)
        )


def sign_in(page: Page, email: str, password: str, *, then: str = r"/compte/$") -> None:
    """Sign in through the portal's page; staff type their authenticator app's code."""
    from tests.factories.accounts import totp_code

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/compte/(2fa/authenticate/)?$|" + then))
    if "/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(totp_code())
        page.locator("form[action='/compte/2fa/authenticate/'] button[type=submit]").click()
    page.wait_for_url(re.compile(then))
