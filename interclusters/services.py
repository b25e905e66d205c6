"""Writes that matter for accounts and the site."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from clusters import services as clusters_services
from core.mail import absolute_url, emails_enqueue, emails_forget
from events import services as events_services
from interclusters.models import User


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
