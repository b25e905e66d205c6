"""Fixtures of the portal-wide tests."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from clusters.models import Membership
from core.models import ExportFile
from events.models import CallForParticipation, Proposal
from mementos.models import Monograph
from surveys import services as survey_services
from tests.factories.events import make_event, register
from tests.factories.files import pdf_bytes
from tests.factories.mementos import make_memento
from tests.factories.surveys import definition, invite

OK, LOGIN, DENIED, MISSING, REDIRECT, NOT_ALLOWED = 200, "login", 403, 404, 302, 405
ROLES = ("anonymous", "member", "representative", "staff")


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status=OK):
    return {"anonymous": LOGIN, "member": status, "representative": status, "staff": status}


def only(role_statuses: dict, default=MISSING, anonymous=LOGIN):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], default), **role_statuses}


@pytest.fixture
def world(directory, member, representative, staff_editor):
    """One of everything, published and not, with a person in each role."""
    bois, pays = directory["bois"], directory["pays"]
    Membership.objects.create(user=representative, entry=bois, role=Membership.Role.REPRESENTATIVE)
    published = make_memento(2, status="published", directory=directory, slug="publie")
    draft = make_memento(1, status="draft", directory=directory, slug="brouillon")
    for memento in (published, draft):
        memento.pdf.save("m.pdf", ContentFile(pdf_bytes()), save=False)
        memento.cover.save("c.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
        memento.save()
    to_review = Monograph.objects.create(
        memento=draft, slug="bois", title="Le pôle du bois", summary="Un pôle.", entry=bois,
        sign_off=Monograph.SignOff.REQUESTED, sign_off_requested_at=timezone.now(),
    )  # fmt: skip
    event = make_event("Journée", workshops=(("Atelier", 10),))
    hidden_event = make_event("Journée interne", published=False)
    outcome = register(event, user=member, workshops=[event.workshops.get()], notify=False)
    call = CallForParticipation.objects.create(
        event=event, title="Appel", description="Proposez.",
        opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=9),
    )  # fmt: skip
    proposal = Proposal.objects.create(
        call=call, author=member, title="Ma proposition", summary="."
    )
    proposal.document.save("p.pdf", ContentFile(pdf_bytes()))
    survey, _ = survey_services.survey_load(definition(results_public=True))
    bois.email = "contact@bois.fr"
    bois.save(update_fields=["email"])
    _invitation, token = invite(survey, bois)
    export = ExportFile.objects.create(
        token="export-du-staff", owner=staff_editor, label="Réponses", builder="x",
        format="csv", status=ExportFile.Status.READY, filename="reponses.csv",
        content_type="text/csv", expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    export.file.save("export-du-staff/reponses.csv", ContentFile(b"a;b\n"))
    return {
        "bois": bois, "pays": pays, "hidden": directory["hidden"], "wood": directory["wood"],
        "secret": directory["secret"], "published": published, "draft": draft,
        "to_review": to_review, "event": event, "hidden_event": hidden_event,
        "registration": outcome.registration, "proposal": proposal, "survey": survey,
        "token": token, "export": export,
    }  # fmt: skip


@pytest.fixture
def url_table(world) -> dict[str, list[tuple[str, dict]]]:
    """URL name → [(address, {role: expected})], after DESIGN.md §5."""
    return table(world)


def table(w) -> dict[str, list[tuple[str, dict]]]:
    """URL name → [(address, {role: expected})]."""
    s, token = w["survey"].slug, w["token"]
    reg = w["registration"]
    return {
        "home": [("/", everyone(OK))],
        "about": [("/a-propos/", everyone(OK))],
        "legal": [("/mentions-legales/", everyone(OK))],
        "privacy": [("/donnees-personnelles/", everyone(OK))],
        "accessibility": [("/accessibilite/", everyone(OK))],
        "search": [("/recherche/?q=bois", everyone(OK))],
        "theme_list": [("/themes/", everyone(OK))],
        "theme_detail": [("/themes/bois-foret/", everyone(OK)), ("/themes/x/", everyone(MISSING))],
        "accounts:dashboard": [("/compte/", signed_in())],
        "accounts:profile": [("/compte/profil/", signed_in())],
        "accounts:personal_data": [("/compte/mes-donnees.json", signed_in())],
        "accounts:delete": [("/compte/supprimer/", signed_in(REDIRECT))],  # password first
        # django-allauth's pages (the main ones at French addresses).
        "account_login": [("/compte/connexion/", {**everyone(REDIRECT), "anonymous": OK})],
        "account_logout": [("/compte/deconnexion/", {**everyone(OK), "anonymous": REDIRECT})],
        "account_signup": [("/compte/inscription/", {**everyone(REDIRECT), "anonymous": OK})],
        "account_change_password": [("/compte/mot-de-passe/", signed_in())],
        "account_set_password": [("/compte/password/set/", signed_in(REDIRECT))],
        "account_reset_password": [("/compte/mot-de-passe/oublie/", everyone(OK))],
        "account_reset_password_done": [("/compte/password/reset/done/", everyone(OK))],
        "account_reset_password_from_key": [
            ("/compte/password/reset/key/1-faux/", everyone(OK))  # « lien invalide »
        ],
        "account_reset_password_from_key_done": [
            ("/compte/password/reset/key/done/", everyone(OK))
        ],
        "account_email": [("/compte/adresse/", signed_in())],
        "account_email_verification_sent": [("/compte/confirmation/", everyone(OK))],
        "account_confirm_email": [("/compte/confirm-email/faux/", everyone(OK))],  # « expiré »
        "account_inactive": [("/compte/inactive/", everyone(OK))],
        "account_reauthenticate": [("/compte/reauthenticate/", signed_in())],
        # Sign-in and re-authentication by emailed code are off: their pages send away.
        "account_confirm_login_code": [("/compte/login/code/confirm/", everyone(REDIRECT))],
        "account_request_reauthentication_code": [("/compte/reauthenticate/code/", signed_in())],
        "account_confirm_reauthentication_code": [
            ("/compte/reauthenticate/code/confirm/", signed_in(REDIRECT))
        ],
        "mfa_index": [("/compte/2fa/", signed_in())],
        "mfa_authenticate": [("/compte/2fa/authenticate/", everyone(REDIRECT))],
        "mfa_reauthenticate": [
            ("/compte/2fa/reauthenticate/", {**signed_in(REDIRECT), "staff": OK})
        ],
        # Changing one's second factor asks the password (or a code) again first.
        "mfa_activate_totp": [("/compte/2fa/totp/activate/", signed_in(REDIRECT))],
        "mfa_deactivate_totp": [("/compte/2fa/totp/deactivate/", only({"staff": REDIRECT}))],
        "mfa_view_recovery_codes": [("/compte/2fa/recovery-codes/", only({}))],
        "mfa_generate_recovery_codes": [
            ("/compte/2fa/recovery-codes/generate/", signed_in(REDIRECT))
        ],
        "mfa_download_recovery_codes": [("/compte/2fa/recovery-codes/download/", only({}))],
        "mfa_list_webauthn": [("/compte/2fa/webauthn/", signed_in())],
        "mfa_add_webauthn": [("/compte/2fa/webauthn/add/", signed_in(REDIRECT))],
        "mfa_reauthenticate_webauthn": [
            ("/compte/2fa/webauthn/reauthenticate/", signed_in(REDIRECT))
        ],
        # A key's pages ask the password (or a code) again first, like every change.
        "mfa_edit_webauthn": [("/compte/2fa/webauthn/keys/1/edit/", signed_in(REDIRECT))],
        "mfa_remove_webauthn": [("/compte/2fa/webauthn/keys/1/remove/", signed_in(REDIRECT))],
        # A prepared export is its requester's alone: others are told it does not exist.
        "exports:progress": [
            ("/telechargements/export-du-staff/", only({"staff": OK}, anonymous=MISSING)),
            ("/telechargements/inconnu/", only({}, anonymous=MISSING)),
        ],
        "exports:download": [
            ("/telechargements/export-du-staff/fichier/", only({"staff": OK}, anonymous=MISSING)),
        ],
        "clusters:directory": [("/annuaire/", everyone(OK))],
        "clusters:directory_csv": [("/annuaire/export.csv", everyone(OK))],
        "clusters:directory_geojson": [("/annuaire/export.geojson", everyone(OK))],
        "clusters:directory_xlsx": [("/annuaire/export.xlsx", everyone(OK))],
        "clusters:directory_links_geojson": [("/annuaire/liens.geojson", everyone(OK))],
        "reference:place_autocomplete": [("/lieux/autocompletion/?q=amb", everyone(OK))],
        "clusters:entry_autocomplete": [("/annuaire/autocompletion/?q=bois", everyone(OK))],
        "clusters:structure_detail": [
            (w["bois"].get_absolute_url(), everyone(OK)),
            (w["hidden"].get_absolute_url(), {**everyone(MISSING), "staff": OK}),
        ],
        "clusters:structure_edit": [
            (f"{w['bois'].get_absolute_url()}modifier/", only({"representative": OK, "staff": OK})),
        ],  # fmt: skip
        "clusters:territory_detail": [(w["pays"].get_absolute_url(), everyone(OK))],
        # Writing to a structure: signed-in people with a confirmed address.
        "clusters:structure_contact": [
            (f"{w['bois'].get_absolute_url()}contacter/", signed_in()),
            (f"{w['hidden'].get_absolute_url()}contacter/", {**everyone(MISSING), "staff": OK}),
        ],
        "clusters:territory_contact": [(f"{w['pays'].get_absolute_url()}contacter/", signed_in())],
        # Alerts: one's own; the unsubscribe link needs no account.
        "accounts:alerts": [("/compte/alertes/", signed_in())],
        "accounts:alert_create": [("/compte/alertes/creer/", signed_in(NOT_ALLOWED))],
        "accounts:alert_update": [("/compte/alertes/1/", signed_in(NOT_ALLOWED))],
        "accounts:alert_delete": [("/compte/alertes/1/supprimer/", signed_in(NOT_ALLOWED))],
        "alert_unsubscribe": [("/alertes/desabonnement/inconnu/", everyone(MISSING))],
        "open_data": [("/donnees-ouvertes/", everyone(OK))],
        # The read-only API: published content only, for everyone.
        "api:api-root": [("/api/", everyone(MISSING))],
        "api:openapi-json": [("/api/openapi.json", everyone(OK))],
        "api:openapi-view": [("/api/docs/", everyone(OK))],
        "api:structures": [("/api/structures/", everyone(OK))],
        "api:structure": [
            (f"/api/structures/{w['bois'].slug}/", everyone(OK)),
            (f"/api/structures/{w['hidden'].slug}/", everyone(MISSING)),
        ],
        "api:territories": [("/api/territoires/", everyone(OK))],
        "api:territory": [(f"/api/territoires/{w['pays'].slug}/", everyone(OK))],
        "api:practices": [("/api/pratiques/", everyone(OK))],
        "api:practice": [(f"/api/pratiques/{w['wood'].slug}/", everyone(OK))],
        "api:events": [("/api/evenements/", everyone(OK))],
        "api:mementos": [("/api/mementos/", everyone(OK))],
        "clusters:territory_edit": [
            (f"{w['pays'].get_absolute_url()}modifier/", only({"staff": OK}))
        ],
        "clusters:practice_list": [("/pratiques/", everyone(OK))],
        "clusters:practice_csv": [("/pratiques/export.csv", everyone(OK))],
        "clusters:practice_geojson": [("/pratiques/export.geojson", everyone(OK))],
        "clusters:practice_xlsx": [("/pratiques/export.xlsx", everyone(OK))],
        "clusters:practice_propose": [("/pratiques/proposer/", signed_in())],
        "clusters:practice_detail": [
            (w["wood"].get_absolute_url(), everyone(OK)),
            (w["secret"].get_absolute_url(), {**everyone(MISSING), "staff": OK}),
        ],
        "clusters:map": [("/carte/", everyone(OK))],
        "clusters:map_data": [("/carte/donnees.geojson", everyone(OK))],
        "events:agenda": [("/agenda/", everyone(OK))],
        "events:agenda_ics": [("/agenda.ics", everyone(OK))],
        "events:registration": [
            (f"/agenda/inscription/{reg.token}/", everyone(OK)),
            ("/agenda/inscription/faux-jeton/", everyone(MISSING)),
        ],
        # Cancelling is a POST (see the test below); a GET asks to confirm, changing nothing.
        "events:cancel_by_token": [
            (f"/agenda/inscription/{reg.token}/annuler/", everyone(OK)),
        ],
        "events:cancel_mine": [
            (
                f"/agenda/mes-inscriptions/{reg.pk}/annuler/",
                {**everyone(NOT_ALLOWED), "anonymous": LOGIN},
            ),
        ],  # fmt: skip
        "events:proposal_document": [
            (
                f"/agenda/propositions/{w['proposal'].pk}/document.pdf",
                only({"member": OK, "staff": OK}),
            ),
        ],  # fmt: skip
        "events:detail": [
            (w["event"].get_absolute_url(), everyone(OK)),
            (w["hidden_event"].get_absolute_url(), {**everyone(MISSING), "staff": OK}),
        ],
        "events:event_ics": [(f"/agenda/{w['event'].slug}.ics", everyone(OK))],
        "events:register": [(f"/agenda/{w['event'].slug}/inscription/", signed_in())],
        "events:propose": [(f"/agenda/{w['event'].slug}/proposer/", signed_in())],
        "events:check_in": [
            (f"/agenda/{w['event'].slug}/accueil/", only({"staff": OK}, default=DENIED))
        ],
        "events:attendees_csv": [
            (f"/agenda/{w['event'].slug}/inscrits.csv", only({"staff": OK}, default=DENIED))
        ],
        "events:attendees_xlsx": [
            (f"/agenda/{w['event'].slug}/inscrits.xlsx", only({"staff": OK}, default=DENIED))
        ],
        "surveys:index": [("/enquetes/", everyone(OK))],
        "surveys:answer": [
            (f"/enquetes/r/{token}/", everyone(OK)),
            ("/enquetes/r/faux-jeton/", everyone(MISSING)),
        ],
        "surveys:answer_section": [(f"/enquetes/r/{token}/section/1/", everyone(OK))],
        "surveys:answer_review": [(f"/enquetes/r/{token}/relecture/", everyone(REDIRECT))],
        "surveys:answer_submit": [(f"/enquetes/r/{token}/envoyer/", everyone(NOT_ALLOWED))],
        "surveys:answer_thanks": [(f"/enquetes/r/{token}/merci/", everyone(REDIRECT))],
        "surveys:preview": [(f"/enquetes/{s}/apercu/", {**everyone(MISSING), "staff": OK})],
        "surveys:preview_section": [
            (f"/enquetes/{s}/apercu/section/1/", {**everyone(MISSING), "staff": OK})
        ],
        "surveys:preview_review": [
            (f"/enquetes/{s}/apercu/relecture/", {**everyone(MISSING), "staff": OK})
        ],
        "surveys:preview_submit": [
            (f"/enquetes/{s}/apercu/envoyer/", {**everyone(MISSING), "staff": NOT_ALLOWED})
        ],
        "surveys:preview_thanks": [
            (f"/enquetes/{s}/apercu/merci/", {**everyone(MISSING), "staff": REDIRECT})
        ],
        "surveys:rep": [(f"/enquetes/{s}/pour/{w['bois'].slug}/", only({"representative": OK}))],
        "surveys:rep_section": [
            (f"/enquetes/{s}/pour/{w['bois'].slug}/section/1/", only({"representative": OK}))
        ],
        "surveys:rep_review": [
            (f"/enquetes/{s}/pour/{w['bois'].slug}/relecture/", only({"representative": REDIRECT})),
        ],  # fmt: skip
        "surveys:rep_submit": [
            (
                f"/enquetes/{s}/pour/{w['bois'].slug}/envoyer/",
                only({"representative": NOT_ALLOWED}),
            ),
        ],  # fmt: skip
        "surveys:rep_thanks": [
            (f"/enquetes/{s}/pour/{w['bois'].slug}/merci/", only({"representative": REDIRECT}))
        ],
        "surveys:results": [(f"/enquetes/{s}/resultats/", everyone(OK))],
        "surveys:dashboard": [
            (f"/enquetes/{s}/tableau-de-bord/", only({"staff": OK}, default=DENIED))
        ],
        "surveys:designer": [(f"/enquetes/{s}/concevoir/", only({"staff": OK}, default=DENIED))],
        "surveys:export_csv": [(f"/enquetes/{s}/export.csv", only({"staff": OK}, default=DENIED))],
        "surveys:export_xlsx": [
            (f"/enquetes/{s}/export.xlsx", only({"staff": OK}, default=DENIED))
        ],
        "mementos:list": [("/mementos/", everyone(OK))],
        "mementos:feed": [("/mementos/flux.atom", everyone(OK))],
        "mementos:review": [
            (f"/mementos/relecture/{w['to_review'].pk}/", only({"representative": OK}))
        ],
        "mementos:detail": [
            ("/mementos/publie/", everyone(OK)),
            ("/mementos/brouillon/", {**everyone(MISSING), "staff": OK}),
        ],
        "mementos:pdf": [
            ("/mementos/publie/memento.pdf", everyone(OK)),
            ("/mementos/brouillon/memento.pdf", {**everyone(MISSING), "staff": OK}),
        ],
        "mementos:cover": [
            ("/mementos/publie/couverture/", everyone(OK)),
            ("/mementos/brouillon/couverture/", {**everyone(MISSING), "staff": OK}),
        ],
        "mementos:monograph": [
            ("/mementos/publie/pays-de-saint-flour/", everyone(OK)),
            ("/mementos/brouillon/bois/", {**everyone(MISSING), "staff": OK}),
        ],
        "set_language": [("/i18n/setlang/", everyone(REDIRECT))],
        "healthz": [("/healthz", everyone(OK))],
        "robots_txt": [("/robots.txt", everyone(OK))],
        "sitemap": [("/sitemap.xml", everyone(OK))],
        "sitemap_section": [("/sitemap-mementos.xml", everyone(OK))],
    }
