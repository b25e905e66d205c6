"""The staff side of the calendar: events, workshops, registrations, proposals."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.adminpages import intermediate_page
from events import services
from events.models import (
    CallForParticipation,
    Event,
    Proposal,
    Registration,
    Status,
    Workshop,
    WorkshopChoice,
)


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 1
    fields = ["title", "theme", "starts_at", "ends_at", "room", "capacity", "facilitators"]


class CallInline(admin.StackedInline):
    model = CallForParticipation
    extra = 0
    max_num = 1


@admin.action(description=gettext_lazy("Fermer les inscriptions des événements sélectionnés"))
def close_registrations(modeladmin, request, queryset):
    count = queryset.update(registrations_closed=True)
    modeladmin.message_user(
        request,
        ngettext(
            "Inscriptions fermées pour %d événement.",
            "Inscriptions fermées pour %d événements.",
            count,
        )
        % count,
    )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "published", "registration_count", "staff_links"]
    list_filter = ["published", "kind", "themes", "region"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["commune", "organiser_entries"]
    filter_horizontal = ["themes"]
    inlines = [WorkshopInline, CallInline]
    actions = [close_registrations]
    readonly_fields = ["region", "staff_links"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "published", "summary", "description", "themes"]},
        ),
        (gettext_lazy("Quand"), {"fields": ["starts_at", "ends_at"]}),
        (
            gettext_lazy("Où"),
            {
                "fields": [
                    "venue",
                    "address",
                    "commune",
                    "region",
                    "latitude",
                    "longitude",
                    "online_url",
                ]
            },
        ),
        (gettext_lazy("Organisation"), {"fields": ["organisers", "organiser_entries"]}),
        (
            gettext_lazy("Inscriptions"),
            {
                "fields": [
                    "capacity",
                    "max_per_structure",
                    "registration_opens_at",
                    "registration_closes_at",
                    "registrations_closed",
                    "staff_links",
                ]  # fmt: skip
            },
        ),
        (gettext_lazy("Après l'événement"), {"fields": ["outputs"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_registrations=Count(
                    "registrations", filter=~Q(registrations__status=Status.CANCELLED)
                )
            )
        )

    @admin.display(description=gettext_lazy("inscrits"), ordering="active_registrations")
    def registration_count(self, obj: Event) -> int:
        return obj.active_registrations

    @admin.display(description=gettext_lazy("outils du jour"))
    def staff_links(self, obj: Event) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">CSV</a> · <a href="{}">XLSX</a> · '
            '<a href="{}">{}</a>',
            reverse("events:check_in", args=[obj.slug]),
            _("Accueil"),
            reverse("events:attendees_csv", args=[obj.slug]),
            reverse("events:attendees_xlsx", args=[obj.slug]),
            reverse("admin:events_registration_changelist") + f"?event__id__exact={obj.pk}",
            _("Inscriptions"),
        )

    def save_model(self, request, obj, form, change) -> None:
        services.event_prepare(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.event_index([form.instance])


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80})
    )


@admin.action(description=gettext_lazy("Écrire aux inscrits de l'atelier…"))
def write_to_registrants(modeladmin, request, queryset):
    if "apply" in request.POST:
        form = MessageForm(request.POST)
        if form.is_valid():
            sent = sum(
                services.workshop_message_send(
                    workshop=workshop,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
                for workshop in queryset
            )
            modeladmin.message_user(
                request, ngettext("%d message envoyé.", "%d messages envoyés.", sent) % sent
            )
            return None
    else:
        form = MessageForm()
    return intermediate_page(
        request,
        modeladmin,
        title=_("Écrire aux inscrits"),
        form=form,
        objects=list(queryset),
        action="write_to_registrants",
        button=_("Envoyer"),
    )


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "starts_at", "capacity", "seats_taken", "people_waiting"]
    list_filter = ["event", "theme"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event"]
    actions = [write_to_registrants]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .annotate(
                taken=Count("choices", filter=Q(choices__status=Status.CONFIRMED)),
                waiting=Count("choices", filter=Q(choices__status=Status.WAITLISTED)),
            )
        )

    @admin.display(description=gettext_lazy("places prises"), ordering="taken")
    def seats_taken(self, obj) -> int:
        return obj.taken

    @admin.display(description=gettext_lazy("en attente"), ordering="waiting")
    def people_waiting(self, obj) -> int:
        return obj.waiting


class ChoiceInline(admin.TabularInline):
    model = WorkshopChoice
    extra = 0
    fields = ["workshop", "status", "waitlist_position", "promoted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=gettext_lazy("Annuler les inscriptions sélectionnées (et prévenir)"))
def cancel_registrations(modeladmin, request, queryset):
    count = 0
    for registration in queryset.exclude(status=Status.CANCELLED):
        services.registration_cancel(registration=registration, by_staff=True)
        count += 1
    modeladmin.message_user(
        request, ngettext("%d inscription annulée.", "%d inscriptions annulées.", count) % count
    )


class MoveForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Depuis l'atelier"), queryset=Workshop.objects.none()
    )
    target = forms.ModelChoiceField(
        label=gettext_lazy("Vers l'atelier"), queryset=Workshop.objects.none()
    )

    def __init__(self, *args, event_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        workshops = Workshop.objects.filter(event_id__in=event_ids).order_by("starts_at")
        self.fields["source"].queryset = workshops
        self.fields["target"].queryset = workshops


@admin.action(description=gettext_lazy("Changer d'atelier…"))
def move_registrations(modeladmin, request, queryset):
    event_ids = set(queryset.values_list("event_id", flat=True))
    if "apply" in request.POST:
        form = MoveForm(request.POST, event_ids=event_ids)
        if form.is_valid():
            moved = 0
            for registration in queryset:
                try:
                    services.registration_move(
                        registration=registration,
                        source=form.cleaned_data["source"],
                        target=form.cleaned_data["target"],
                    )
                    moved += 1
                except (ValidationError, WorkshopChoice.DoesNotExist) as error:
                    message = (
                        error.messages[0]
                        if isinstance(error, ValidationError)
                        else _("%(name)s n'est pas inscrit à l'atelier de départ.")
                        % {"name": registration.full_name}
                    )
                    modeladmin.message_user(request, message, messages.WARNING)
            modeladmin.message_user(
                request, ngettext("%d personne déplacée.", "%d personnes déplacées.", moved) % moved
            )
            return None
    else:
        form = MoveForm(event_ids=event_ids)
    return intermediate_page(
        request,
        modeladmin,
        title=_("Changer d'atelier"),
        form=form,
        objects=list(queryset),
        action="move_registrations",
        button=_("Déplacer"),
    )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "event", "status", "structure_name", "created_at", "checked_in_at"]
    list_filter = ["event", "status", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "email", "structure_name"]
    list_select_related = ["event"]
    inlines = [ChoiceInline]
    actions = [cancel_registrations, move_registrations]
    readonly_fields = [
        "event", "user", "status", "waitlist_position", "consent_at", "created_at",
        "updated_at", "cancelled_at", "checked_in_at", "reminded_at", "anonymised_at",
    ]  # fmt: skip
    fields = [
        "event", "user", "full_name", "email", "structure", "structure_name",
        "accessibility_needs", "dietary_needs", *readonly_fields[2:],
    ]  # fmt: skip
    autocomplete_fields = ["structure"]

    def has_add_permission(self, request):
        return False


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note pour l'auteur (facultatif pour une acceptation)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )


def _decide(modeladmin, request, queryset, status: str, action: str, title: str):
    if "apply" in request.POST:
        form = DecisionForm(request.POST)
        if form.is_valid():
            for proposal in queryset:
                services.proposal_decide(
                    proposal=proposal,
                    status=status,
                    reviewer=request.user,
                    note=form.cleaned_data["note"],
                )
            count = queryset.count()
            modeladmin.message_user(
                request,
                ngettext("%d proposition traitée.", "%d propositions traitées.", count) % count,
            )
            return None
    else:
        form = DecisionForm()
    return intermediate_page(
        request, modeladmin, title=title, form=form, objects=list(queryset), action=action,
        button=_("Confirmer et prévenir"),
    )  # fmt: skip


@admin.action(description=gettext_lazy("Retenir les propositions sélectionnées…"))
def accept_proposals(modeladmin, request, queryset):
    return _decide(
        modeladmin,
        request,
        queryset,
        Proposal.Status.ACCEPTED,
        "accept_proposals",
        _("Retenir des propositions"),
    )


@admin.action(description=gettext_lazy("Ne pas retenir les propositions sélectionnées…"))
def reject_proposals(modeladmin, request, queryset):
    return _decide(
        modeladmin,
        request,
        queryset,
        Proposal.Status.REJECTED,
        "reject_proposals",
        _("Ne pas retenir des propositions"),
    )


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "author", "status", "created_at", "document_link"]
    list_filter = ["status", "call"]
    search_fields = ["title", "summary", "author__email"]
    list_select_related = ["call", "author"]
    actions = [accept_proposals, reject_proposals]
    readonly_fields = [
        "call",
        "author",
        "status",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "document_link",
    ]
    fields = [
        "call",
        "author",
        "title",
        "summary",
        "workshop",
        "theme",
        "contributors",
        "document_link",
        "status",
        "review_note",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    ]

    @admin.display(description=gettext_lazy("document"))
    def document_link(self, obj: Proposal) -> str:
        if not obj.document:
            return "—"
        return format_html(
            '<a href="{}">PDF</a>', reverse("events:proposal_document", args=[obj.pk])
        )

    def has_add_permission(self, request):
        return False
