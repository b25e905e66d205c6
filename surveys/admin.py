"""The survey builder, invitations, responses and theme tagging, for the staff."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clusters.admin import add_entry_action
from clusters.models import STRUCTURE_KINDS, TERRITORY_KINDS, DirectoryEntry
from core import mail
from core.adminpages import admin_page, asking_action, batch_progress_redirect
from core.exports import XLSX
from reference.models import Theme
from reference.selectors import place_choices
from surveys import services, tasks, xlsform
from surveys.forms import LOCKED, RuleForm, validate_condition
from surveys.models import (
    Answer,
    Choice,
    GridRow,
    Invitation,
    Question,
    Response,
    Rule,
    Section,
    Survey,
)

# --- Builder -----------------------------------------------------------------------------------


class SectionInline(admin.TabularInline):
    model = Section
    extra = 1
    fields = ["title", "position"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return not (obj and services.survey_has_answers(obj.pk)) and super().has_delete_permission(
            request, obj
        )


class InviteForm(forms.Form):
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Régions (toutes si aucune)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Types (selon le public de l'enquête si aucun)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in [*STRUCTURE_KINDS, *TERRITORY_KINDS]],
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = place_choices()[0]


@admin.action(description=gettext_lazy("Dupliquer l'enquête"))
def duplicate_surveys(modeladmin, request, queryset):
    for survey in queryset:
        copy = services.survey_duplicate(survey=survey)
        modeladmin.message_user(request, _("Copie créée : « %(title)s ».") % {"title": copy.title})


class XLSFormImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Classeur XLSForm (.xlsx)"),
        help_text=gettext_lazy("Feuilles survey, choices et settings ; 2 Mo au plus."),
    )
    audience = forms.ChoiceField(label=gettext_lazy("Public"), choices=Survey.Audience.choices)
    opens_at = forms.SplitDateTimeField(
        label=gettext_lazy("Ouverture"), widget=AdminSplitDateTime, localize=True
    )
    closes_at = forms.SplitDateTimeField(
        label=gettext_lazy("Clôture"), widget=AdminSplitDateTime, localize=True
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Open tomorrow morning, for a month: what most surveys do; change as needed.
        start = (timezone.localtime() + timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        self.initial.setdefault("opens_at", start)
        self.initial.setdefault("closes_at", start + timedelta(days=30))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > xlsform.MAX_BYTES:
            raise ValidationError(_("Le fichier dépasse 2 Mo."))
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("La clôture précède l'ouverture."))
        return cleaned


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "audience",
        "status",
        "opens_at",
        "closes_at",
        "results_public",
        "links",
    ]
    list_filter = ["status", "audience", "results_public"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]
    actions = [duplicate_surveys]
    readonly_fields = ["links"]
    change_list_template = "admin/surveys/survey_change_list.html"

    @admin.display(description=gettext_lazy("outils"))
    def links(self, obj: Survey) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>'
            ' · <a href="{}">{}</a>',
            reverse("surveys:designer", args=[obj.slug]),
            _("Concevoir"),
            reverse("surveys:preview", args=[obj.slug]),
            _("Aperçu"),
            reverse("surveys:dashboard", args=[obj.slug]),
            _("Résultats"),
            reverse("admin:surveys_survey_invite", args=[obj.pk]),
            _("Inviter"),
            reverse("admin:surveys_survey_xlsform", args=[obj.pk]),
            _("XLSForm"),
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj and services.survey_has_answers(obj.pk)) and super().has_delete_permission(
            request, obj
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/inviter/",
                self.admin_site.admin_view(self.invite_view),
                name="surveys_survey_invite",
            ),
            path(
                "<int:pk>/xlsform/",
                self.admin_site.admin_view(self.xlsform_export_view),
                name="surveys_survey_xlsform",
            ),
            path(
                "importer-xlsform/",
                self.admin_site.admin_view(self.xlsform_import_view),
                name="surveys_survey_xlsform_import",
            ),
            *super().get_urls(),
        ]

    def xlsform_export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The survey as an XLSForm workbook (KoboToolbox, ODK)."""
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_view_permission(request, survey):
            raise PermissionDenied
        response = HttpResponse(
            xlsform.survey_workbook(survey),
            content_type=XLSX,
        )
        response["Content-Disposition"] = f'attachment; filename="xlsform-{survey.slug}.xlsx"'
        return response

    def xlsform_import_view(self, request: HttpRequest) -> HttpResponse:
        """A new survey, in preparation, from an XLSForm workbook; what cannot be imported
        is listed row by row and nothing is created."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = XLSFormImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        status = 200
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    survey = xlsform.survey_import(
                        data["file"].read(), audience=data["audience"],
                        opens_at=data["opens_at"], closes_at=data["closes_at"],
                    )  # fmt: skip
                except xlsform.XLSFormError as error:
                    errors = error.errors
                else:
                    self.message_user(
                        request,
                        _("Enquête « %(title)s » importée, en préparation : relisez-la, puis "
                          "ouvrez-la.") % {"title": survey.title},
                        messages.SUCCESS,
                    )  # fmt: skip
                    return HttpResponseRedirect(
                        reverse("admin:surveys_survey_change", args=[survey.pk])
                    )
            status = 400
        response = admin_page(
            request,
            self,
            "admin/surveys/xlsform_import.html",
            title=_("Importer un XLSForm"),
            form=form,
            errors=errors,
        )
        response.status_code = status
        return response

    def invite_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Invite the published structures of some regions and kinds, once each."""
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_change_permission(request, survey):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        entries = None
        if request.method == "POST" and form.is_valid():
            entries = DirectoryEntry.objects.published()
            if form.cleaned_data["regions"]:
                entries = entries.filter(region__code__in=form.cleaned_data["regions"])
            if form.cleaned_data["kinds"]:
                entries = entries.filter(kind__in=form.cleaned_data["kinds"])
            elif survey.audience == Survey.Audience.STRUCTURES:
                entries = entries.structures()
            elif survey.audience == Survey.Audience.TERRITORIES:
                entries = entries.territories()
            entries = entries.exclude(invitations__survey=survey)
            if request.POST.get("send"):
                return _start_invitations(request, survey, entries.filter(~Q(email="")))
        return admin_page(
            request,
            self,
            "admin/surveys/invite.html",
            title=_("Inviter à « %(title)s »") % {"title": survey.title},
            survey=survey,
            form=form,
            entries=entries,
            count=entries.count() if entries is not None else None,
            without_email=entries.filter(email="").count() if entries is not None else None,
        )


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ["code", "label", "kind", "required", "position"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return not (
            obj and services.survey_has_answers(obj.survey_id)
        ) and super().has_delete_permission(request, obj)


class RuleInline(admin.TabularInline):
    model = Rule
    form = RuleForm
    extra = 0
    verbose_name = gettext_lazy("condition")
    verbose_name_plural = gettext_lazy("conditions (sur des réponses précédentes)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("OwnedRuleForm", (self.form,), {})
        formset.form.__init__ = _owned(self.form.__init__, obj)
        return formset


def _owned(init, owner):
    def __init__(self, *args, **kwargs):
        init(self, *args, owner=owner, **kwargs)

    return __init__


class QuestionRuleInline(RuleInline):
    fk_name = "question"


class SectionRuleInline(RuleInline):
    fk_name = "section"


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "survey", "position"]
    list_filter = ["survey"]
    fields = ["survey", "title", "description", "position", "condition_mode"]
    inlines = [SectionRuleInline, QuestionInline]

    def has_module_permission(self, request):
        return False


class ChoiceFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if form.cleaned_data.get("DELETE"):
                reason = services.choice_in_use(form.instance)
                if reason:
                    raise ValidationError(reason)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 2
    fields = ["label", "position"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class ChoiceForm(formset.form):
            def hand_clean_DELETE(self) -> None:
                # Instead of Django's list of « protected objects », why in plain French.
                if self.cleaned_data.get("DELETE"):
                    reason = services.choice_in_use(self.instance)
                    if reason:
                        raise ValidationError(reason)

        formset.form = ChoiceForm
        return formset


class GridRowInline(admin.TabularInline):
    model = GridRow
    extra = 0
    fields = ["label", "position"]
    verbose_name_plural = _("lignes (pour une grille)")


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "section", "code", "label", "help_text", "kind", "required", "position",
            "allow_other", "min_choices", "max_choices", "scale_min", "scale_max",
            "scale_min_label", "scale_max_label", "number_min", "number_max", "text_format",
            "condition_choice", "condition_mode",
        ]  # fmt: skip

    def clean(self) -> dict:
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and instance.answers.exists():
            for name in ("kind", "section", "scale_min", "scale_max"):
                if name in self.changed_data:
                    raise ValidationError(LOCKED)
        section, code = cleaned.get("section"), cleaned.get("code")
        if section and code:
            clash = Question.objects.filter(section__survey=section.survey_id, code=code).exclude(
                pk=instance.pk
            )
            if clash.exists():
                self.add_error("code", _("Ce code sert déjà à une autre question de l'enquête."))
        if section:
            probe = Question(
                pk=instance.pk, section=section, position=cleaned.get("position") or 0,
                condition_choice=cleaned.get("condition_choice"),
            )  # fmt: skip
            try:
                validate_condition(probe)
            except ValidationError as error:
                self.add_error("condition_choice", error)
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["code", "label", "kind", "required", "section"]
    list_filter = ["section__survey", "kind"]
    search_fields = ["label", "code"]
    inlines = [ChoiceInline, GridRowInline, QuestionRuleInline]
    autocomplete_fields = ["condition_choice"]

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.answers.exists()) and super().has_delete_permission(request, obj)


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    search_fields = ["label", "question__code", "question__label"]

    def has_delete_permission(self, request, obj=None):
        # A picked choice, or one a condition reads, is never deleted (the question's
        # page says why); Django's « protected objects » page is never reached.
        return not (obj and services.choice_in_use(obj)) and super().has_delete_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return False


# --- Invitations -----------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Relancer les invitations sans réponse"))
def remind_invitations(modeladmin, request, queryset):
    """Reminders go out from the worker, with a progress page; none goes to an invitation
    that answered or had an email within SURVEY_REMINDER_MIN_DAYS days."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    batch = mail.batch_start(
        label=ngettext(
            "Relance d'%(count)s invitation choisie",
            "Relances de %(count)s invitations choisies",
            len(ids),
        )
        % {"count": len(ids)},
        total=len(ids),
        user=request.user,
        enqueue=lambda batch_id: tasks.send_reminders.enqueue(batch_id, ids),
    )
    return batch_progress_redirect(batch)


@admin.action(description=gettext_lazy("Retirer les invitations (le lien cesse de fonctionner)"))
def withdraw_invitations(modeladmin, request, queryset):
    for invitation in queryset:
        services.invitation_withdraw(invitation=invitation)
    modeladmin.message_user(request, _("Invitations retirées."))


@admin.action(description=gettext_lazy("Envoyer un nouveau lien (l'ancien cesse de fonctionner)"))
def renew_links(modeladmin, request, queryset):
    for invitation in queryset.select_related("survey", "entry"):
        services.invitation_renew_link(invitation=invitation)
    modeladmin.message_user(request, _("Nouveaux liens envoyés."))


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "entry",
        "survey",
        "email",
        "sent_at",
        "reminded_at",
        "opened_at",
        "started_at",
        "submitted_at",
        "withdrawn_at",
    ]
    list_filter = [
        "survey",
        ("submitted_at", admin.EmptyFieldListFilter),
        ("opened_at", admin.EmptyFieldListFilter),
        "entry__region",
    ]
    search_fields = ["entry__name", "email"]
    list_select_related = ["entry", "survey"]
    actions = [remind_invitations, withdraw_invitations, renew_links]
    readonly_fields = [
        "survey",
        "entry",
        "sent_at",
        "reminded_at",
        "opened_at",
        "started_at",
        "submitted_at",
        "withdrawn_at",
        "created_at",
    ]
    fields = ["survey", "entry", "email", *readonly_fields[2:]]

    def has_add_permission(self, request):
        return False


class PickSurvey(forms.Form):
    survey = forms.ModelChoiceField(
        label=gettext_lazy("Enquête"),
        queryset=Survey.objects.exclude(status=Survey.Status.CLOSED),
    )


def _start_invitations(request, survey: Survey, entries) -> HttpResponse:
    """Hand the invitations to the worker and show their progress."""
    ids = list(entries.order_by("name").values_list("pk", flat=True))
    batch = mail.batch_start(
        label=_("Invitations à « %(title)s »") % {"title": survey.title},
        total=len(ids),
        user=request.user,
        enqueue=lambda batch_id: tasks.send_invitations.enqueue(batch_id, survey.pk, ids),
    )
    return batch_progress_redirect(batch)


def _invite_entries(request, entries, data) -> HttpResponse:
    chosen = DirectoryEntry.objects.filter(pk__in=[entry.pk for entry in entries])
    return _start_invitations(request, data["survey"], chosen)


invite_entries = asking_action(
    name="invite_entries",
    description=gettext_lazy("Inviter à une enquête…"),
    form_class=PickSurvey,
    title=gettext_lazy("Inviter à une enquête"),
    button=gettext_lazy("Inviter"),
    apply=_invite_entries,
)
# Offered in the directory's lists of structures and territories.
add_entry_action(invite_entries)


# --- Responses and themes ------------------------------------------------------------------------


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "shown", "quotable"]
    readonly_fields = ["question", "shown"]
    can_delete = False

    @admin.display(description=gettext_lazy("réponse"))
    def shown(self, obj: Answer) -> str:
        return services.display_value(obj.question, obj)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["entry", "survey", "status", "started_at", "submitted_at"]
    list_filter = ["survey", "status", "entry__region", "entry__kind"]
    search_fields = ["entry__name"]
    list_select_related = ["entry", "survey"]
    readonly_fields = [
        "survey",
        "entry",
        "invitation",
        "user",
        "status",
        "last_section",
        "started_at",
        "updated_at",
        "submitted_at",
    ]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False


class TagForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Thèmes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    quotable = forms.BooleanField(
        label=gettext_lazy("Citables dans les résultats publiés (sans nom)"), required=False
    )


def _tag_answers(request, answers, data) -> str:
    count = services.answers_tag(answers=answers, themes=data["themes"], quotable=data["quotable"])
    return ngettext("%d réponse étiquetée.", "%d réponses étiquetées.", count) % count


tag_answers = asking_action(
    name="tag_answers",
    description=gettext_lazy("Étiqueter avec des thèmes…"),
    form_class=TagForm,
    title=gettext_lazy("Étiqueter des réponses"),
    button=gettext_lazy("Étiqueter"),
    apply=_tag_answers,
)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    """Free-text answers, to tag with the themes they raise."""

    list_display = ["text_excerpt", "question", "entry", "theme_names", "quotable"]
    list_filter = ["response__survey", "question", "themes", "quotable"]
    search_fields = ["text", "other"]
    actions = [tag_answers]
    fields = ["question", "text", "other", "themes", "quotable"]
    readonly_fields = ["question", "text", "other"]
    filter_horizontal = ["themes"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(response__status=Response.Status.SUBMITTED)
            .exclude(text="", other="")
            .select_related("question", "response__entry")
            .prefetch_related("themes")
        )

    @admin.display(description=gettext_lazy("réponse"))
    def text_excerpt(self, obj: Answer) -> str:
        text = obj.text or obj.other
        return text if len(text) < 120 else f"{text[:118]}…"

    @admin.display(description=gettext_lazy("structure"))
    def entry(self, obj: Answer) -> str:
        return obj.response.entry.name

    @admin.display(description=gettext_lazy("thèmes"))
    def theme_names(self, obj: Answer) -> str:
        return ", ".join(t.name for t in obj.themes.all())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
