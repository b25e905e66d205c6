"""Curation of the mementos: editors write, publishers publish; every saved version is kept
(django-reversion: the History button lists who changed what and restores a version)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.admin import VersionAdmin

from mementos import services
from mementos.forms import MementoAdminForm
from mementos.models import Memento, Monograph, Section


class PublishedGuardFormSet(BaseInlineFormSet):
    """Sections and case studies of a published memento change only by those allowed to
    publish; a memento published has at least one section."""

    user = None
    needs_a_row = False

    def clean(self) -> None:
        super().clean()
        memento = self.instance if self.instance.pk else None
        original = Memento.objects.filter(pk=memento.pk).only("status").first() if memento else None
        if original and (self.deleted_forms or any(f.has_changed() for f in self.forms)):
            try:
                services.check_public_edit(user=self.user, memento=original)
            except PermissionDenied as error:
                raise ValidationError(str(error)) from error
        if self.needs_a_row and self.data.get("status") == Memento.Status.PUBLISHED:
            kept = [
                form for form in self.forms
                if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
            ]  # fmt: skip
            if not kept:
                raise ValidationError(
                    _("Un mémento publié a au moins une section : ajoutez-en une avant de publier.")
                )


class GuardedInline:
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


class SectionInline(GuardedInline, admin.StackedInline):
    model = Section
    formset = type("SectionFormSet", (PublishedGuardFormSet,), {"needs_a_row": True})
    extra = 0
    fields = [("title", "position"), "body"]


class MonographInline(GuardedInline, admin.TabularInline):
    model = Monograph
    formset = PublishedGuardFormSet
    extra = 0
    fields = ["title", "entry", "position", "sign_off"]
    readonly_fields = ["sign_off"]
    autocomplete_fields = ["entry"]
    show_change_link = True
    # New case studies are written on their own page, with every field.
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False


def _status_action(status: str, description, permissions=("change",)):
    def action(modeladmin, request, queryset):
        done = 0
        for memento in queryset:
            try:
                services.memento_set_status(memento=memento, status=status, user=request.user)
            except PermissionDenied as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
                return
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{memento} : {' '.join(error.messages)}", messages.ERROR
                )
                continue
            done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext("%d mémento mis à jour.", "%d mémentos mis à jour.", done) % done,
                messages.SUCCESS,
            )

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=permissions)(action)


# The publishing actions are only offered to those allowed to publish (has_publish_permission).
publish = _status_action(Memento.Status.PUBLISHED, gettext_lazy("Publier"), ["publish"])
unpublish = _status_action(
    Memento.Status.DRAFT, gettext_lazy("Dépublier (repasser en brouillon)"), ["publish"]
)
archive = _status_action(Memento.Status.ARCHIVED, gettext_lazy("Archiver"), ["publish"])
send_to_review = _status_action(Memento.Status.REVIEW, gettext_lazy("Envoyer en relecture"))


@admin.register(Memento)
class MementoAdmin(VersionAdmin):
    form = MementoAdminForm
    list_display = ["number", "title", "status", "published_at", "partner_names", "links"]
    list_display_links = ["number", "title"]
    list_filter = ["status", "lead_partners", "themes"]
    search_fields = ["title", "subtitle", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_partners", "practices", "source_workshops"]
    filter_horizontal = ["themes"]
    readonly_fields = ["published_at", "links"]
    inlines = [SectionInline, MonographInline]
    actions = [send_to_review, publish, unpublish, archive]
    fieldsets = [
        (None, {"fields": [("number", "status"), "title", "subtitle", "slug", "period", "links"]}),
        (gettext_lazy("Contenu"), {"fields": ["summary", "key_questions", "themes"]}),
        (
            gettext_lazy("Partenaires et liens"),
            {"fields": ["lead_partners", "practices", "source_workshops"]},
        ),
        (
            gettext_lazy("Fichiers"),
            {"fields": ["cover", "cover_alt", "pdf"]},
        ),
        (gettext_lazy("Publication"), {"fields": ["published_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lead_partners")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def has_publish_permission(self, request) -> bool:
        return services.can_publish(request.user)

    @admin.display(description=gettext_lazy("partenaires"))
    def partner_names(self, obj: Memento) -> str:
        return ", ".join(partner.name for partner in obj.lead_partners.all())

    @admin.display(description=gettext_lazy("sur le site"))
    def links(self, obj: Memento) -> str:
        if not obj.pk:
            return "—"
        label = _("Voir") if obj.is_public else _("Aperçu (réservé à l'équipe)")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    def save_model(self, request, obj, form, change):
        services.memento_save(memento=obj, pdf_changed="pdf" in form.changed_data)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.memento_index(form.instance)


@admin.action(description=gettext_lazy("Demander la validation à la structure décrite"))
def request_sign_off(modeladmin, request, queryset):
    for monograph in queryset.select_related("memento", "entry"):
        try:
            count = services.sign_off_request(monograph=monograph, user=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.WARNING)
            continue
        modeladmin.message_user(
            request,
            ngettext(
                "« %(title)s » : %(count)d représentant sollicité.",
                "« %(title)s » : %(count)d représentants sollicités.",
                count,
            )
            % {"title": monograph.title, "count": count},
            messages.SUCCESS,
        )


class MonographAdminForm(forms.ModelForm):
    """A case study of a published memento changes only by those allowed to publish."""

    user = None

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.changed_data:
            return cleaned
        concerned = [cleaned.get("memento")]
        if self.instance.pk:
            concerned.append(Memento.objects.filter(monographs=self.instance.pk).first())
        for memento in concerned:
            try:
                services.check_public_edit(user=self.user, memento=memento)
            except PermissionDenied as error:
                raise ValidationError(str(error)) from error
        return cleaned


@admin.register(Monograph)
class MonographAdmin(VersionAdmin):
    form = MonographAdminForm
    list_display = ["title", "memento", "entry", "sign_off", "sign_off_requested_at"]
    list_filter = ["memento", "sign_off"]
    search_fields = ["title", "summary", "entry__name"]
    list_select_related = ["memento", "entry"]
    autocomplete_fields = ["entry", "practices"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["sign_off", "sign_off_requested_at", "review_history"]
    actions = [request_sign_off]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    fieldsets = [
        (None, {"fields": ["memento", ("title", "position"), "slug", "entry", "summary"]}),
        (
            gettext_lazy("L'expérience"),
            {"fields": ["context", "actions", "staff_time", "funding", "results"]},
        ),
        (
            gettext_lazy("Enseignements"),
            {"fields": ["success_factors", "pitfalls", "contacts", "practices"]},
        ),
        (
            gettext_lazy("Validation par la structure"),
            {"fields": ["sign_off", "sign_off_requested_at", "review_history"]},
        ),
    ]

    @admin.display(description=gettext_lazy("avis reçus"))
    def review_history(self, obj: Monograph) -> str:
        reviews = list(obj.reviews.select_related("user")) if obj.pk else []
        if not reviews:
            return _("Aucun avis pour l'instant.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> — {}, {} : {}</li>",
                (
                    (
                        review.get_decision_display(),
                        review.user.get_full_name() if review.user else "—",
                        date_format(localtime(review.created_at), "SHORT_DATETIME_FORMAT"),
                        review.comment or "—",
                    )
                    for review in reviews
                ),
            ),
        )

    def view_on_site(self, obj: Monograph) -> str:
        return reverse(
            "mementos:monograph", kwargs={"slug": obj.memento.slug, "monograph": obj.slug}
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.memento_index(form.instance.memento)
