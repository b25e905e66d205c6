"""Emails sent by the portal: subject, text and HTML from templates/emails/."""

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def send_templated_mail(
    template: str, context: dict, to: Iterable[str], *, attachments=None
) -> int:
    """Send emails/<template>_subject.txt, .txt and .html to ``to`` (one message each),
    in French, the portal's language for its correspondence."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    sent = 0
    for address in recipients:
        message = EmailMultiAlternatives(subject, text, to=[address])
        message.attach_alternative(html, "text/html")
        for attachment in attachments or []:
            message.attach(*attachment)
        try:
            sent += message.send()
        except (smtplib.SMTPException, OSError):
            # What the person did is saved; a mail server down must not turn it into an
            # error page. The failure is logged for the operators.
            logger.exception("Could not send %s to %s", template, address)
    return sent


def staff_recipients(permission: str) -> list[str]:
    """Addresses of the active staff who hold ``app_label.codename``, plus the
    configured notification addresses."""
    app_label, codename = permission.split(".")
    holds = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    staff = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(holds | Q(is_superuser=True))
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(staff) | set(settings.STAFF_NOTIFICATION_EMAILS))
