"""Curation of the mementos: editors write, publishers publish; every saved version is kept
(django-reversion: the History button lists who changed what and restores a version)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.adminpages import admin_page
from mementos import selectors, services
from mementos.forms import MementoAdminForm
from mementos.models import Draft, Memento, Monograph, Section


class PublishedGuardFormSet(BaseInlineFormSet):
    """Sections and case studies of a published memento change only by those allowed to
    publish; a memento published has at least one section."""

    user = None
    needs_a_row = False

    def clean(self) -> None:
        super().clean()
        # (An editor's change to a published memento's sections becomes a draft: see
        # MementoAdmin.save_related.)
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

    def get_readonly_fields(self, request, obj=None):
        # An editor changes a published memento's case studies on their own pages, where
        # the change waits for a publisher.
        if services.needs_draft(user=request.user, memento=obj):
            return self.fields
        return super().get_readonly_fields(request, obj)


class VersionDifference:
    """The history of a memento or case study, each saved version with a link to what it
    changed from the one before, word by word."""

    object_history_template = "admin/mementos/object_history.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:version_id>/difference/",
                self.admin_site.admin_view(self.difference_view),
                name=f"{opts.app_label}_{opts.model_name}_difference",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        actions = getattr(response, "context_data", {}).get("action_list") or []
        if actions:
            opts = self.model._meta
            by_revision = dict(
                Version.objects.get_for_object_reference(
                    self.model, unquote(object_id)
                ).values_list("revision_id", "pk")
            )
            for action in actions:
                version = by_revision.get(action["revision"].pk)
                action["difference_url"] = version and reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_difference",
                    args=[object_id, version],
                )
        return response

    def difference_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        version = versions.filter(pk=version_id).first()
        if version is None:
            raise Http404
        previous = versions.filter(pk__lt=version.pk).order_by("-pk").first()
        return admin_page(
            request,
            self,
            "admin/mementos/version_difference.html",
            title=_("Ce qui a changé : %(object)s") % {"object": obj},
            original=obj,
            version=version,
            previous=previous,
            rows=selectors.version_changes(self.model, previous, version),
        )


def _section_changes(formset) -> list[dict]:
    """The sections an editor added, changed or deleted, for a draft."""
    changes = []
    for form in formset.forms:
        deleted = form in formset.deleted_forms
        if not (deleted or form.has_changed()) or not form.cleaned_data:
            continue
        data = form.cleaned_data
        changes.append({
            "id": form.instance.pk, "delete": deleted, "title": data.get("title", ""),
            "position": data.get("position", 0), "body": data.get("body", ""),
        })  # fmt: skip
    return changes


def _draft_response(modeladmin, request, obj):
    """After an editor's change to published content: where it went, and a link to it."""
    draft = getattr(request, "draft", None)
    if draft is None:
        modeladmin.message_user(request, _("Rien n'a changé."), messages.INFO)
    else:
        modeladmin.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Votre modification attend la relecture d'une personne autorisée à "
                    "publier ; la page publique reste inchangée d'ici là."
                ),
                reverse("admin:mementos_draft_change", args=[draft.pk]),
                _("Voir la modification"),
            ),
            messages.SUCCESS,
        )
    return HttpResponseRedirect(request.path)


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
class MementoAdmin(VersionDifference, VersionAdmin):
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
        original = Memento.objects.filter(pk=obj.pk).first() if change else None
        if services.needs_draft(user=request.user, memento=original):
            request.drafted_memento = original  # kept aside: see save_related
            return
        services.memento_save(memento=obj, pdf_changed="pdf" in form.changed_data)

    def save_related(self, request, form, formsets, change):
        original = getattr(request, "drafted_memento", None)
        if original is not None:
            request.draft = services.draft_save(
                memento=original,
                author=request.user,
                fields=form.cleaned_data,
                sections=[
                    change
                    for formset in formsets
                    if formset.model is Section
                    for change in _section_changes(formset)
                ],
            )
            return
        super().save_related(request, form, formsets, change)
        services.memento_index(form.instance)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "drafted_memento", None) is not None:
            return []  # nothing saved: the draft says what changes
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "drafted_memento", None) is not None:
            message = _("Modification proposée pour relecture.")
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "drafted_memento", None) is not None:
            return _draft_response(self, request, obj)
        return super().response_change(request, obj)


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
        # An editor's change to a case study of a published memento waits for a publisher
        # (a draft); a new case study, a move or a new address are theirs to make.
        target = cleaned.get("memento")
        current = (
            Memento.objects.filter(monographs=self.instance.pk).first()
            if self.instance.pk
            else None
        )
        moved = current is not None and "memento" in self.changed_data
        if (
            (current is None and services.needs_draft(user=self.user, memento=target))
            or (moved and services.needs_draft(user=self.user, memento=target))
            or (moved and services.needs_draft(user=self.user, memento=current))
            or (
                "slug" in self.changed_data
                and services.needs_draft(user=self.user, memento=current)
            )
        ):
            raise ValidationError(
                _(
                    "Ce mémento est publié : y ajouter une étude de cas, l'en retirer ou "
                    "changer son adresse est réservé aux personnes autorisées à publier. Vos "
                    "modifications du texte peuvent leur être proposées."
                )
            )
        return cleaned


@admin.register(Monograph)
class MonographAdmin(VersionDifference, VersionAdmin):
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

    def save_model(self, request, obj, form, change):
        original = Monograph.objects.select_related("memento").filter(pk=obj.pk).first()
        if (
            change
            and original
            and services.needs_draft(user=request.user, memento=original.memento)
        ):
            request.drafted_monograph = original  # kept aside: see save_related
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        original = getattr(request, "drafted_monograph", None)
        if original is not None:
            request.draft = services.draft_save(
                memento=original.memento, monograph=original, author=request.user,
                fields=form.cleaned_data,
            )  # fmt: skip
            return
        super().save_related(request, form, formsets, change)
        services.memento_index(form.instance.memento)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "drafted_monograph", None) is not None:
            return []  # nothing saved: the draft says what changes
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "drafted_monograph", None) is not None:
            message = _("Modification proposée pour relecture.")
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "drafted_monograph", None) is not None:
            return _draft_response(self, request, obj)
        return super().response_change(request, obj)


class DraftDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note à l'auteur (obligatoire pour renvoyer)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """The changes to published content waiting for a publisher: each shows what it
    changes, and is published or sent back with a note."""

    list_display = ["__str__", "author", "updated_at", "status", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["memento", "monograph", "author", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = self.get_object(request, object_id)
        if draft is None:
            raise Http404
        if not self.has_view_permission(request, draft):
            raise PermissionDenied
        pending = draft.status == Draft.Status.PENDING
        may_decide = pending and services.can_publish(request.user)
        form = DraftDecisionForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            if form.is_valid():
                try:
                    if request.POST.get("decision") == "publish":
                        services.draft_publish(draft=draft, user=request.user)
                        done = _("Modification publiée : la page publique la montre.")
                    else:
                        services.draft_reject(
                            draft=draft, user=request.user, note=form.cleaned_data["note"]
                        )
                        done = _("Modification renvoyée à son auteur.")
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, done, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:mementos_draft_changelist"))
            status = 400
        stale = not draft.monograph_id and pending and draft.memento.updated_at > draft.created_at
        response = admin_page(
            request,
            self,
            "admin/mementos/draft_review.html",
            title=str(draft),
            draft=draft,
            rows=selectors.draft_changes(draft),
            form=form,
            may_decide=may_decide,
            stale=stale,
            original=draft,
        )
        response.status_code = status
        return response
