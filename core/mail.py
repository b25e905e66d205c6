"""The portal's emails: written to an outbox in the same transaction as the change that
causes them, delivered by the worker, retried until the mail server answers.

- ``emails_enqueue`` renders emails/<template>_subject.txt, .txt and .html (in French,
  the portal's language for its correspondence) and writes one ``OutgoingEmail`` per
  recipient. Rolled back, nothing is sent; committed, it will be, even if the mail server
  is down for hours. A request never talks to the mail server.
- An email that repeats an unchanged situation is written once: when the last email of
  the same topic to the same address, within a day, had the same subject and text (ten
  clicks on "S'inscrire", twenty identical edits), the new one is skipped (in a bulk
  send, it is written as skipped so that the progress adds up).
- ``email_deliver`` (the worker) sends one email. A failure is retried with growing
  delays (1 min … 24 h, about two days in all) and then marked failed, for the staff to
  see and resend in the admin. While the server does not answer, the worker does not
  keep trying every email: it waits a minute, then one email tries again.
- Apps learn of a delivery through ``on_delivery``: the surveys mark an invitation sent.
"""

import base64
import hashlib
import logging
import smtplib
import socket
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import EmailBatch, OutgoingEmail

logger = logging.getLogger(__name__)

RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240, 480, 720, 1440)]
# Within this time, an email identical to the last one of its topic is not sent again.
REPEAT_WINDOW = timedelta(days=1)
SERVER_DOWN_KEY = "mail:server-down-until"
SERVER_DOWN_PAUSE = timedelta(minutes=1)
# A connection that fails or times out: the server, not the message, is at fault.
CONNECTION_ERRORS = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPHeloError,
    socket.timeout,
    TimeoutError,
    ConnectionError,
    OSError,
)
# The server refused this message for good (an unknown address…): no retry.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)

DeliveryHook = Callable[[str, OutgoingEmail], None]
_HOOKS: dict[str, DeliveryHook] = {}


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def on_delivery(kind: str):
    """Register ``hook(object_id, email)``, called after an email whose ``ref`` is
    "<kind>:<object_id>" is sent or has finally failed."""

    def register(hook: DeliveryHook) -> DeliveryHook:
        _HOOKS[kind] = hook
        return hook

    return register


def _fingerprint(address: str, subject: str, text: str) -> str:
    return hashlib.sha256("\x1f".join((address, subject, text)).encode()).hexdigest()


def render(template: str, context: dict) -> tuple[str, str, str]:
    """The subject, text and HTML of emails/<template>, in French."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def _attachment(name: str, content, mimetype: str) -> dict:
    raw = content.encode() if isinstance(content, str) else bytes(content)
    return {"name": name, "content": base64.b64encode(raw).decode(), "mimetype": mimetype}


def emails_enqueue(
    *,
    template: str,
    context: dict,
    to: Iterable[str],
    attachments: Iterable[tuple] = (),
    topic: str = "",
    ref: str = "",
    batch: EmailBatch | None = None,
    reply_to: str = "",
    headers: dict | None = None,
    deliver: bool = True,
) -> list[OutgoingEmail]:
    """Write emails/<template> for each address of ``to`` into the outbox, in the current
    transaction, skipping repeats of an unchanged situation; the worker delivers them once
    the transaction commits. Returns the emails written (in a bulk send, the skipped
    repeats too)."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return []
    subject, text, html = render(template, context)
    topic = (topic or template)[:200]
    files = [_attachment(*attachment) for attachment in attachments]
    latest = {}
    for address, fingerprint in (
        OutgoingEmail.objects.filter(
            to__in=recipients, topic=topic, created_at__gt=timezone.now() - REPEAT_WINDOW
        )
        .exclude(status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.SKIPPED])
        .order_by("to", "-created_at", "-pk")
        .distinct("to")
        .values_list("to", "fingerprint")
    ):
        latest[address] = fingerprint
    written = []
    for address in recipients:
        fingerprint = _fingerprint(address, subject, text)
        repeat = latest.get(address) == fingerprint
        if repeat and batch is None:
            continue
        written.append(
            OutgoingEmail(
                template=template, to=address, subject=subject[:300], text=text, html=html,
                attachments=files, topic=topic, fingerprint=fingerprint, ref=ref, batch=batch,
                reply_to=reply_to, headers=headers or {},
                status=OutgoingEmail.Status.SKIPPED if repeat else OutgoingEmail.Status.PENDING,
            )
        )  # fmt: skip
    written = OutgoingEmail.objects.bulk_create(written)
    ids = [email.pk for email in written if email.status == OutgoingEmail.Status.PENDING]
    if ids and deliver:
        transaction.on_commit(lambda: _enqueue_delivery(ids))
    return written


def _enqueue_delivery(ids: list[int]) -> None:
    from core.tasks import deliver_emails

    deliver_emails.enqueue(ids)


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject,
        email.text,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=email.headers or None,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["name"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return message


def server_down_until():
    return cache.get(SERVER_DOWN_KEY)


def email_deliver(email_id: int) -> str:
    """Send one email of the outbox if it is due; record the outcome. Returns its status
    after the attempt ("pending" when it waits for a retry)."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
            .first()
        )
        if email is None or email.next_attempt_at > timezone.now():
            return email.status if email else ""
        down_until = server_down_until()
        if down_until and down_until > timezone.now():
            # The server did not answer a moment ago: wait, without counting an attempt.
            email.next_attempt_at = down_until
            email.save(update_fields=["next_attempt_at"])
            return email.status
        try:
            _message(email).send()
        except PERMANENT_ERRORS as error:
            _failed(email, error, final=True)
        except (smtplib.SMTPException, *CONNECTION_ERRORS) as error:
            if isinstance(error, CONNECTION_ERRORS):
                cache.set(
                    SERVER_DOWN_KEY,
                    timezone.now() + SERVER_DOWN_PAUSE,
                    int(SERVER_DOWN_PAUSE.total_seconds()),
                )
            _failed(email, error, final=email.attempts + 1 > len(RETRY_DELAYS))
        else:
            email.status = OutgoingEmail.Status.SENT
            email.attempts += 1
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["status", "attempts", "sent_at", "last_error"])
    _tell(email)
    return email.status


def explain(error: Exception) -> str:
    """What staff read of a failure: the cause in French, then the server's words."""
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            cause = _("Adresse refusée par le serveur de messagerie")
        elif isinstance(error, smtplib.SMTPSenderRefused):
            cause = _("Expéditeur refusé par le serveur de messagerie")
        elif isinstance(error, ConnectionRefusedError):
            cause = _("Le serveur de messagerie refuse la connexion")
        elif isinstance(error, TimeoutError | socket.timeout) or "timed out" in str(error):
            cause = _("Le serveur de messagerie ne répond pas")
        elif isinstance(error, CONNECTION_ERRORS):
            cause = _("Le serveur de messagerie est injoignable")
        else:
            cause = _("Le serveur de messagerie a refusé le message")
    return f"{cause} — {type(error).__name__}: {error}"


def _failed(email: OutgoingEmail, error: Exception, *, final: bool) -> None:
    email.attempts += 1
    email.last_error = explain(error)[:2000]
    if final:
        email.status = OutgoingEmail.Status.FAILED
        logger.error("Email %s to %s failed for good: %s", email.pk, email.to, email.last_error)
    else:
        email.next_attempt_at = timezone.now() + RETRY_DELAYS[email.attempts - 1]
        logger.warning("Email %s to %s: %s; retry at %s", email.pk, email.to,
                       email.last_error, email.next_attempt_at)  # fmt: skip
    email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def _tell(email: OutgoingEmail) -> None:
    """Tell the app that asked for this email how its attempt went (sent, waiting for a
    retry with the reason, or failed for good)."""
    if not email.ref:
        return
    kind, _, object_id = email.ref.partition(":")
    hook = _HOOKS.get(kind)
    if hook is not None:
        hook(object_id, email)


def emails_due(limit: int = 500) -> list[int]:
    """The emails waiting whose time has come, oldest first."""
    return list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def emails_resend(*, emails: Iterable[OutgoingEmail]) -> int:
    """Staff send failed (or skipped) emails again: they wait for the worker as new."""
    ids = [email.pk for email in emails if email.status != OutgoingEmail.Status.SENT]
    count = OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.PENDING,
        attempts=0,
        last_error="",
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue_delivery(ids))
    return count


def emails_forget(*, address: str) -> int:
    """A person leaves: the emails already sent to them (or given up) go; those still
    waiting leave first (a cancellation, say). Returns how many went."""
    deleted, _ = (
        OutgoingEmail.objects.filter(to__iexact=address)
        .exclude(status=OutgoingEmail.Status.PENDING)
        .delete()
    )
    return deleted


def outbox_prune() -> int:
    """Forget sent and skipped emails after OUTBOX_RETENTION_DAYS days, failed ones after
    three times as long (they hold personal data), and bulk sends left empty."""
    now = timezone.now()
    days = settings.OUTBOX_RETENTION_DAYS
    deleted, _ = OutgoingEmail.objects.filter(
        Q(status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.SKIPPED],
          created_at__lt=now - timedelta(days=days))
        | Q(status=OutgoingEmail.Status.FAILED, created_at__lt=now - timedelta(days=3 * days))
    ).delete()  # fmt: skip
    EmailBatch.objects.filter(emails=None, created_at__lt=now - timedelta(days=days)).delete()
    return deleted


def batch_start(*, label: str, total: int, user, enqueue: Callable[[int], object]) -> EmailBatch:
    """Record a bulk send of ``total`` emails started by ``user``; ``enqueue(batch_id)``
    hands its writing to the worker once the current transaction commits."""
    batch = EmailBatch.objects.create(label=label[:300], total=total, created_by=user)
    transaction.on_commit(lambda: enqueue(batch.pk))
    return batch


def batch_progress(batch: EmailBatch) -> dict[str, int]:
    """How many of a bulk send's emails are sent, failed or waiting."""
    counts = dict.fromkeys(("sent", "failed", "pending", "skipped"), 0)
    for status, count in (
        batch.emails.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    ):
        counts[status] = count
    written = sum(counts.values())
    counts["total"] = max(batch.total, written)
    counts["preparing"] = max(batch.total - written, 0)
    counts["done"] = counts["sent"] + counts["failed"] + counts["skipped"]
    return counts


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
