"""Background work of the surveys: bulk invitations and reminders with their progress,
and the weekly reminders (times are Europe/Paris)."""

from itertools import batched

from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from clusters.models import DirectoryEntry
from core.models import EmailBatch
from core.scheduler import scheduled
from surveys import selectors, services
from surveys.models import Invitation, Survey

# Written and committed this many at a time, so that the progress page moves and the
# first emails leave while the rest are written.
CHUNK = 50


@task
def send_invitations(batch_id: int, survey_id: int, entry_ids: list[int]) -> int:
    """Invite these structures to a survey, for a bulk send started in the admin."""
    batch = EmailBatch.objects.get(pk=batch_id)
    survey = Survey.objects.get(pk=survey_id)
    invited, without_address = 0, []
    for chunk in batched(entry_ids, CHUNK):
        entries = DirectoryEntry.objects.filter(pk__in=chunk).order_by("name")
        done, skipped = services.invitations_create(survey=survey, entries=entries, batch=batch)
        invited += len(done)
        without_address += [entry.name for entry in skipped]
    with override("fr"):
        remarks = (
            _("Sans adresse e-mail, non invitées : %(names)s.")
            % {"names": ", ".join(without_address)}
            if without_address
            else ""
        )
    EmailBatch.objects.filter(pk=batch.pk).update(total=invited, remarks=remarks)
    return invited


@task
def send_reminders(batch_id: int, invitation_ids: list[int]) -> int:
    """Remind these invitations, for a bulk send started in the admin (the minimum delay
    between reminders holds: the others are not reminded)."""
    batch = EmailBatch.objects.get(pk=batch_id)
    reminded = 0
    for chunk in batched(invitation_ids, CHUNK):
        invitations = Invitation.objects.filter(pk__in=chunk).select_related("survey", "entry")
        reminded += len(services.invitations_remind(invitations=invitations, batch=batch))
    with override("fr"):
        left = len(invitation_ids) - reminded
        remarks = (
            ngettext(
                "%(count)s invitation non relancée : réponse envoyée, invitation retirée, "
                "enquête fermée ou dernier e-mail trop récent.",
                "%(count)s invitations non relancées : réponse envoyée, invitation retirée, "
                "enquête fermée ou dernier e-mail trop récent.",
                left,
            )
            % {"count": left}
            if left
            else ""
        )
    EmailBatch.objects.filter(pk=batch.pk).update(total=reminded, remarks=remarks)
    return reminded


@scheduled("0 9 * * Mon")
@task
def send_survey_reminders() -> int:
    """Every Monday at 09:00: remind the structures invited to an open survey that have
    not answered, at most once in SURVEY_REMINDER_MIN_DAYS days."""
    return len(services.invitations_remind(invitations=services.reminders_due()))


@task
def refresh_results(survey_id: int) -> None:
    """After a submission, compute the survey's figures (the dashboard's, and the
    published results' when public) in every language, so that the next person to look
    finds them ready instead of waiting for them."""
    survey = Survey.objects.get(pk=survey_id)
    for language, _name in settings.LANGUAGES:
        with override(language):
            selectors.question_results(survey, share=True)
            if survey.results_public:
                selectors.question_results(survey, public=True, share=True)
