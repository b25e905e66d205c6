"""Writes that matter for accounts and the site."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters import selectors as clusters_selectors
from clusters import services as clusters_services
from core.mail import absolute_url, emails_enqueue, emails_forget
from events import services as events_services
from interclusters import alerts
from interclusters.models import SavedSearch, User


@transaction.atomic
def member_create_by_staff(*, user: User) -> User:
    """A person added by the team (``user`` not saved yet): no password of the team's
    choosing; they are emailed a link to choose one, which also confirms their address."""
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("Un compte existe déjà avec cette adresse e-mail.")}, code="duplicate"
        ) from exc
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    member_invite(user=user)
    return user


def member_invite(*, user: User) -> None:
    """Email the person a link to choose their password (valid PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    emails_enqueue(
        template="account_invitation",
        context={"user": user, "set_password_url": absolute_url(path)},
        to=[user.email],
        topic=f"account-invitation:{user.pk}",
    )


def address_confirmed_by_reset(sender, request, user, **kwargs) -> None:
    """Following a password link sent to the address proves it is the person's."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


@transaction.atomic
def user_update_profile(
    *, user: User, first_name: str, last_name: str, organisation_name: str
) -> User:
    """Update a person's own name and structure (the address changes through the
    verified flow of django-allauth: the new one is confirmed first)."""
    user.first_name = first_name
    user.last_name = last_name
    user.organisation_name = organisation_name
    user.save(update_fields=["first_name", "last_name", "organisation_name"])
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete a person's account and what is theirs alone. Upcoming registrations are
    cancelled and every registration anonymised (attendance counts stay); proposals and
    practices still under review go; published contributions, survey responses given for
    a structure and sign-off reviews stay without the person's name, so that the
    programme's records and the survey statistics are unchanged."""
    if user.is_superuser:
        raise ValidationError(
            _("Un compte d'administration ne se supprime pas ici : adressez-vous à l'équipe.")
        )
    events_services.registrations_forget(user)
    events_services.proposals_forget(user)
    clusters_services.practices_forget(user)
    emails_forget(address=user.email)
    user.delete()


# --- Alerts (saved searches) -----------------------------------------------------------


@transaction.atomic
def alert_create(
    *, user: User, kind: str, name: str, query: str = "", frequency: str, entry=None
) -> SavedSearch:
    """Keep a search of the person's (or their structure's potential partners) and send
    what is new in it from now on; the same search twice is one alert."""
    if kind == SavedSearch.Kind.PARTNERS:
        if entry is None or not clusters_selectors.represents(user=user, entry=entry):
            raise ValidationError(
                _("Seuls les représentants d'une structure suivent ses partenaires.")
            )
        query = ""
    else:
        entry = None
        errors = alerts.query_errors(kind, query)
        if errors:
            raise ValidationError(_("Cette recherche contient des filtres invalides."))
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(
                user=user, kind=kind, name=name, query=query, frequency=frequency, entry=entry
            )
    except IntegrityError as exc:
        raise ValidationError(_("Vous avez déjà une alerte pour cette recherche.")) from exc


def alert_update(*, alert: SavedSearch, name: str, frequency: str) -> SavedSearch:
    alert.name = name
    alert.frequency = frequency
    alert.save(update_fields=["name", "frequency"])
    return alert


def alert_delete(*, alert: SavedSearch) -> None:
    alert.delete()


def alert_digest_send(*, alert: SavedSearch, now) -> bool:
    """Email what is new in ``alert`` since its last digest, if anything; the next digest
    starts from ``now`` either way. Returns whether an email was written."""
    since = alert.checked_at
    items, total = alerts.new_items(alert, since=since)
    sent = False
    if items:
        unsubscribe = absolute_url(reverse("alert_unsubscribe", args=[alert.token]))
        emails_enqueue(
            template="alert_digest",
            context={
                "alert": alert,
                "user": alert.user,
                "heading": alerts.describe(alert),
                "items": items,
                "more": total - len(items),
                "page_url": absolute_url(alerts.page_url(alert)),
                "manage_url": absolute_url(reverse("accounts:alerts")),
                "unsubscribe_url": unsubscribe,
            },
            to=[alert.user.email],
            topic=f"alert:{alert.pk}",
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        sent = True
    SavedSearch.objects.filter(pk=alert.pk).update(checked_at=now)
    return sent


def alert_digests_send(*, now=None) -> int:
    """Every alert that is due (daily, or weekly a week after its last digest): its
    digest. People whose address is not confirmed get none. Returns the emails written."""
    now = now or timezone.now()
    due = (
        SavedSearch.objects.filter(
            alerts.due(now),
            user__is_active=True,
            user__emailaddress__verified=True,
            user__emailaddress__primary=True,
        )
        .select_related("user", "entry")
        .order_by("pk")
    )
    sent = 0
    for alert in due.iterator(chunk_size=200):
        with transaction.atomic():
            sent += alert_digest_send(alert=alert, now=now)
    return sent


def alert_unsubscribe(*, token: str) -> SavedSearch | None:
    """One-click unsubscribe (RFC 8058): the alert whose link it is stops. None when the
    link is unknown (already unsubscribed)."""
    alert = SavedSearch.objects.filter(token=token).first()
    if alert is not None:
        alert.delete()
    return alert
