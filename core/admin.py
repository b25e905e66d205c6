"""The outbox in the admin: every email of the portal with its state, the reason of a
failure and a "resend" action; bulk sends with their progress."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import mail
from core.adminpages import admin_page
from core.models import EmailBatch, OutgoingEmail

# The progress page reloads itself this often while emails are waiting.
PROGRESS_REFRESH_SECONDS = 3


@admin.action(description=_("Renvoyer les e-mails choisis"), permissions=["change"])
def resend(modeladmin, request, queryset):
    count = mail.emails_resend(emails=queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "%d e-mail remis dans la file d'envoi.", "%d e-mails remis dans la file d'envoi.", count
        )
        % count,
        messages.SUCCESS,
    )


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "error", "created_at", "sent_at"]
    list_filter = ["status", "template", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["batch"]
    actions = [resend]
    fields = [
        "to", "subject", "status", "attempts", "last_error", "next_attempt_at", "created_at",
        "sent_at", "template", "topic", "batch", "reply_to", "text",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("erreur"))
    def error(self, obj: OutgoingEmail) -> str:
        return obj.last_error[:120]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(EmailBatch)
class EmailBatchAdmin(admin.ModelAdmin):
    """Bulk sends. Staff who may see emails see them all; the person who started one
    always sees its progress page."""

    list_display = ["label", "created_by", "created_at", "progress_link"]
    list_select_related = ["created_by"]
    readonly_fields = ["label", "total", "remarks", "created_by", "created_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent=Count("emails", filter=Q(emails__status=OutgoingEmail.Status.SENT)),
                failed=Count("emails", filter=Q(emails__status=OutgoingEmail.Status.FAILED)),
            )
        )

    @admin.display(description=_("progression"))
    def progress_link(self, obj: EmailBatch) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:core_emailbatch_progress", args=[obj.pk]),
            _("%(sent)s envoyés sur %(total)s, %(failed)s en échec")
            % {"sent": obj.sent, "total": obj.total, "failed": obj.failed},
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/progression/",
                self.admin_site.admin_view(self.progress_view),
                name="core_emailbatch_progress",
            ),
            *super().get_urls(),
        ]

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(EmailBatch.objects.select_related("created_by"), pk=pk)
        if batch.created_by_id != request.user.pk and not self.has_view_permission(request):
            raise PermissionDenied
        progress = mail.batch_progress(batch)
        problems = batch.emails.filter(
            Q(status=OutgoingEmail.Status.FAILED)
            | Q(status=OutgoingEmail.Status.PENDING, attempts__gt=0)
        ).order_by("status", "to")
        running = progress["done"] < progress["total"] or progress["preparing"] > 0
        paused = "pause" in request.GET
        return admin_page(
            request,
            self,
            "admin/core/emailbatch_progress.html",
            title=batch.label,
            batch=batch,
            progress=progress,
            problems=problems[:500],
            problem_count=problems.count(),
            running=running,
            refresh=PROGRESS_REFRESH_SECONDS if running and not paused else None,
            paused=paused,
            server_down_until=mail.server_down_until(),
        )
