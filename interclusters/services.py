"""Writes that matter for accounts and the site."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusters import services as clusters_services
from core.mail import emails_forget
from events import services as events_services
from interclusters.models import User


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    organisation_name: str = "",
) -> User:
    """Create a member account; two sign-ups with one address never make two accounts."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                organisation_name=organisation_name,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("Un compte existe déjà avec cette adresse e-mail.")}, code="duplicate"
        ) from exc


@transaction.atomic
def user_update_profile(
    *, user: User, first_name: str, last_name: str, email: str, organisation_name: str
) -> User:
    """Update a person's own profile; the address stays unique whatever the case."""
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.organisation_name = organisation_name
    try:
        with transaction.atomic():
            user.save(update_fields=["first_name", "last_name", "email", "organisation_name"])
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("Un autre compte utilise déjà cette adresse e-mail.")}, code="duplicate"
        ) from exc
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
