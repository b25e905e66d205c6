"""The staff back office of the directory: curation, moderation queues, imports."""

import hashlib
import secrets
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clusters import imports, services
from clusters.models import (
    Category,
    ContactMessage,
    DirectoryEntry,
    EntryChange,
    Membership,
    Organisation,
    Practice,
    PracticeLink,
    PracticePartner,
    PracticeToReview,
    Territory,
)
from core.adminpages import ReasonForm, admin_page, asking_action, intermediate_page
from core.tables import TableError, read_table
from reference.models import (
    Setting,
    setting_for_density,
)

# --- Imports ---------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        help_text=gettext_lazy(
            "Une ligne par fiche, la première ligne nomme les colonnes. CSV (virgules ou "
            "points-virgules, UTF-8 ou Windows-1252, comme l'enregistre Excel) ou XLSX ; "
            "2 Mo et 5 000 lignes au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


IMPORT_CACHE_SECONDS = 30 * 60


# --- Structures and territories ----------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


# Actions other apps offer on structures and territories (the surveys' "Inviter à une
# enquête…"): they register through add_entry_action rather than patch these classes.
ENTRY_ACTIONS: list = []


def add_entry_action(action) -> None:
    """Offer ``action`` (an admin action) in the lists of structures and territories."""
    if action not in ENTRY_ACTIONS:
        ENTRY_ACTIONS.append(action)


@admin.action(description=gettext_lazy("Publier les fiches sélectionnées"))
def publish_entries(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))
    count = services.entries_set_published(entry_ids=ids, published=True)
    modeladmin.message_user(
        request, ngettext("%d fiche publiée.", "%d fiches publiées.", count) % count
    )


@admin.action(description=gettext_lazy("Dépublier les fiches sélectionnées"))
def unpublish_entries(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))
    count = services.entries_set_published(entry_ids=ids, published=False)
    modeladmin.message_user(
        request, ngettext("%d fiche dépubliée.", "%d fiches dépubliées.", count) % count
    )


@admin.action(description=gettext_lazy("Appliquer le milieu proposé par la grille INSEE"))
def apply_suggested_setting(modeladmin, request, queryset):
    changed = services.entries_apply_suggested_setting(
        entry_ids=list(queryset.values_list("pk", flat=True))
    )
    modeladmin.message_user(
        request,
        ngettext("Milieu renseigné pour %d fiche.", "Milieu renseigné pour %d fiches.", changed)
        % changed,
    )


def _import_key(request: HttpRequest, token: str) -> str:
    # Scoped to the person: a token alone does not open someone else's file. Hashed, so
    # that whatever arrives in the address makes a valid key for any cache backend.
    digest = hashlib.sha256(token[:64].encode("utf-8", "replace")).hexdigest()
    return f"directory-import:{request.user.pk}:{digest}"


class EntryAdmin(admin.ModelAdmin):
    change_list_template = "admin/clusters/entry_change_list.html"
    list_display = [
        "name", "kind", "commune", "department", "setting", "published",
        "published_practice_count", "updated_at",
    ]  # fmt: skip
    list_filter = ["published", "kind", "setting", "region", "themes"]
    search_fields = ["name", "acronym", "slug", "commune__name", "commune__code"]
    list_select_related = ["commune", "department"]
    autocomplete_fields = ["commune", "epci"]
    filter_horizontal = ["themes"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "suggested_setting_display",
        "created_at",
        "updated_at",
        "published_at",
        "published_practice_count",
        "messages_received",
    ]
    inlines = [MembershipInline]
    list_per_page = 50
    show_full_result_count = False
    category = Category.STRUCTURE
    own_actions = [publish_entries, unpublish_entries, apply_suggested_setting]

    @property
    def actions(self) -> list:
        return [*self.own_actions, *ENTRY_ACTIONS]

    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "published"]}),
        (gettext_lazy("Présentation"), {"fields": ["description", "themes"]}),
        (
            gettext_lazy("Coordonnées"),
            {
                "fields": ["website", "email", "accepts_messages", "phone", "address"],
                "description": gettext_lazy(
                    "L'e-mail de contact n'est jamais publié : les membres écrivent à la "
                    "structure par le portail, qui le lui transmet."
                ),
            },
        ),
        (
            gettext_lazy("Lieu"),
            {
                "fields": [
                    "commune",
                    "setting",
                    "suggested_setting_display",
                    "latitude",
                    "longitude",
                ],  # fmt: skip
                "description": gettext_lazy(
                    "Le point sur la carte vaut celui de la commune quand il est laissé vide."
                ),
            },
        ),
        (
            gettext_lazy("Suivi"),
            {
                "fields": [
                    "published_practice_count",
                    "messages_received",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]  # fmt: skip
            },
        ),
    ]

    @admin.display(description=gettext_lazy("Messages reçus par le portail"))
    def messages_received(self, obj: DirectoryEntry) -> str:
        """How many, never what: the messages are not kept."""
        if not obj.pk:
            return "—"
        since = timezone.now() - timedelta(days=30)
        total = obj.contact_messages.count()
        recent = obj.contact_messages.filter(created_at__gte=since).count()
        return _("%(total)d en tout, dont %(recent)d ces 30 derniers jours") % {
            "total": total, "recent": recent,
        }  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).filter(category=self.category)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            from clusters.models import STRUCTURE_KINDS, TERRITORY_KINDS

            kinds = STRUCTURE_KINDS if self.category == Category.STRUCTURE else TERRITORY_KINDS
            kwargs["choices"] = [(k.value, k.label) for k in kinds]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("Milieu proposé (grille INSEE)"))
    def suggested_setting_display(self, obj: DirectoryEntry) -> str:
        if not obj.pk or not obj.commune_id or obj.commune.density_level is None:
            return _("Grille de densité non importée pour cette commune.")
        suggestion = setting_for_density(obj.commune.density_level)
        return _("%(setting)s (niveau %(level)s de la grille communale de densité)") % {
            "setting": Setting(suggestion).label,
            "level": obj.commune.density_level,
        }

    def save_model(self, request, obj, form, change) -> None:
        """The service writes the entry with its themes, departments and what derives
        from them (place, search vector)."""
        obj.category = self.category
        services.entry_save(
            entry=obj,
            themes=form.cleaned_data.get("themes"),
            departments=form.cleaned_data.get("departments"),
        )

    def save_related(self, request, form, formsets, change) -> None:
        # The themes and departments were written with the entry; only the people
        # linked to it are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Check a file, show every row's errors or what importing it would do; import
        once the person confirms a valid file."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm()
        check = table = None
        status = 200
        if request.method == "POST" and "token" in request.POST:
            table = cache.get(_import_key(request, request.POST["token"]))
            if table is None:
                self.message_user(
                    request, _("Ce fichier a expiré : envoyez-le de nouveau."), messages.WARNING
                )
            else:
                try:
                    result = imports.entries_import(table=table, category=self.category)
                except ValidationError:
                    check = imports.entries_import_check(table=table, category=self.category)
                    status = 400
                else:
                    cache.delete(_import_key(request, request.POST["token"]))
                    self.message_user(
                        request,
                        _("Import terminé : %(created)s fiches créées, %(updated)s mises à jour.")
                        % {"created": result.created, "updated": result.updated},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
                    )
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    table = read_table(form.cleaned_data["file"])
                except TableError as error:
                    form.add_error("file", str(error))
                    status = 400
                else:
                    check = imports.entries_import_check(table=table, category=self.category)
                    status = 200 if check.valid else 400
            else:
                status = 400
        token = ""
        if check is not None and check.valid:
            token = secrets.token_urlsafe(16)
            cache.set(_import_key(request, token), table, IMPORT_CACHE_SECONDS)
        response = admin_page(
            request,
            self,
            "admin/clusters/import.html",
            title=_("Importer des %(things)s") % {"things": self.opts.verbose_name_plural},
            form=form,
            check=check,
            token=token,
            columns=imports.TERRITORY_COLUMNS
            if self.category == Category.TERRITORY
            else imports.COLUMNS,
        )
        response.status_code = status
        return response


@admin.register(Organisation)
class OrganisationAdmin(EntryAdmin):
    category = Category.STRUCTURE


@admin.register(Territory)
class TerritoryAdmin(EntryAdmin):
    category = Category.TERRITORY
    filter_horizontal = ["themes", "departments"]
    fieldsets = [
        *EntryAdmin.fieldsets[:3],
        (
            gettext_lazy("Lieu"),
            {
                "fields": [
                    "commune",
                    "departments",
                    "epci",
                    "population",
                    "setting",
                    "suggested_setting_display",
                    "latitude",
                    "longitude",
                ],  # fmt: skip
                "description": gettext_lazy(
                    "La commune siège ; le point sur la carte vaut le sien quand il est "
                    "laissé vide."
                ),
            },
        ),
        EntryAdmin.fieldsets[4],
    ]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    """Only for the autocompletes of other admins: staff edit through the two proxies."""

    search_fields = ["name", "acronym", "commune__name"]

    def has_module_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset.select_related("commune"), search_term)


# --- Practices --------------------------------------------------------------------------


class PartnerInline(admin.TabularInline):
    model = PracticePartner
    extra = 1
    autocomplete_fields = ["entry"]
    fields = ["entry", "name", "role", "position"]


class LinkInline(admin.TabularInline):
    model = PracticeLink
    extra = 0


class PracticeAdminForm(forms.ModelForm):
    """Everything but the moderation state, which only the publish and refuse buttons
    change (so that the author is always told)."""

    class Meta:
        model = Practice
        fields = [
            "title", "slug", "summary", "kind", "themes", "body", "rural_contribution",
            "urban_contribution", "start_year", "end_year", "status", "funding_measures",
            "funding", "results", "success_factors", "pitfalls",
        ]  # fmt: skip


@admin.action(description=gettext_lazy("Publier les pratiques sélectionnées"))
def publish_practices(modeladmin, request, queryset):
    if not request.user.has_perm("clusters.change_practice"):
        raise PermissionDenied
    count = 0
    for practice in queryset:
        services.practice_publish(practice=practice)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%d pratique publiée.", "%d pratiques publiées.", count) % count,
        messages.SUCCESS,
    )


def _reject_practices(request, practices, data) -> str:
    for practice in practices:
        services.practice_reject(practice=practice, reason=data["reason"])
    count = len(practices)
    return ngettext("%d pratique refusée.", "%d pratiques refusées.", count) % count


reject_practices = asking_action(
    name="reject_practices",
    description=gettext_lazy("Refuser les pratiques sélectionnées…"),
    form_class=ReasonForm,
    title=gettext_lazy("Refuser des pratiques"),
    button=gettext_lazy("Refuser et prévenir"),
    apply=_reject_practices,
    permissions=["change"],
)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    form = PracticeAdminForm
    list_display = ["title", "state", "kind", "status", "rural_urban", "lead_kind", "published_at"]
    list_filter = ["state", "kind", "status", "rural_urban", "themes", "funding_measures"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "funding_measures"]
    inlines = [PartnerInline, LinkInline]
    actions = [publish_practices, reject_practices]
    readonly_fields = ["moderation", "rural_urban", "region_codes"]
    date_hierarchy = "published_at"
    list_per_page = 50
    show_full_result_count = False
    change_form_template = "admin/clusters/practice/change_form.html"
    fieldsets = [
        (None, {"fields": ["moderation", "title", "slug", "summary", "kind", "themes", "body"]}),
        (
            gettext_lazy("Ville et campagne"),
            {"fields": ["rural_contribution", "urban_contribution", "rural_urban", "region_codes"]},
        ),
        (
            gettext_lazy("Calendrier et moyens"),
            {"fields": ["start_year", "end_year", "status", "funding_measures", "funding"]},
        ),
        (
            gettext_lazy("Enseignements"),
            {"fields": ["results", "success_factors", "pitfalls"]},
        ),
    ]

    @admin.display(description=gettext_lazy("Modération"))
    def moderation(self, obj: Practice) -> str:
        if not obj.pk:
            return _("Une pratique créée ici est proposée : publiez-la ensuite.")
        parts = [obj.get_state_display()]
        if obj.proposer:
            parts.append(
                _("proposée par %(name)s (%(email)s)")
                % {"name": obj.proposer, "email": obj.proposer.email}
            )
        if obj.rejection_reason:
            parts.append(_("motif : %(reason)s") % {"reason": obj.rejection_reason})
        return " — ".join(str(p) for p in parts)

    def save_model(self, request, obj, form, change) -> None:
        # Written in save_related, with its partners and links, by the service.
        if not change:
            obj.proposer = obj.proposer or request.user

    def save_related(self, request, form, formsets, change) -> None:
        """The service writes the practice, its themes, measures, partners and links, and
        what derives from them (filters, search vector, the partners' counts)."""
        partners, links = [], []
        for formset in formsets:
            formset.save(commit=False)  # what changed, for the history; nothing written
            kept = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            if formset.model is PracticePartner:
                kept.sort(key=lambda row: row.get("position") or 0)
                partners = [
                    services.PartnerInput(
                        role=row["role"], entry=row.get("entry"), name=row.get("name", "")
                    )
                    for row in kept
                    if row.get("entry") or row.get("name")
                ]
            elif formset.model is PracticeLink:
                links = [(row["label"], row["url"]) for row in kept]
        services.practice_save(
            practice=form.instance,
            themes=form.cleaned_data["themes"],
            funding_measures=form.cleaned_data["funding_measures"],
            partners=partners,
            links=links,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/publier/",
                self.admin_site.admin_view(self.publish_view),
                name="clusters_practice_publish",
            ),
            path(
                "<int:pk>/refuser/",
                self.admin_site.admin_view(self.reject_view),
                name="clusters_practice_reject",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        practice = get_object_or_404(Practice, pk=pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:clusters_practice_change", args=[pk]))
        if not self.has_change_permission(request, practice):
            raise PermissionDenied
        services.practice_publish(practice=practice)
        self.message_user(
            request, _("La pratique est publiée ; son auteur est prévenu."), messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:clusters_practice_change", args=[pk]))

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        practice = get_object_or_404(Practice, pk=pk)
        if not self.has_change_permission(request, practice):
            raise PermissionDenied
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.practice_reject(practice=practice, reason=form.cleaned_data["reason"])
            self.message_user(
                request,
                _("La pratique est refusée ; son auteur a reçu le motif."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:clusters_practice_change", args=[pk]))
        return intermediate_page(
            request,
            self,
            button=_("Refuser et prévenir"),
            title=_("Refuser la pratique « %(title)s »") % {"title": practice.title},
            objects=[practice],
            form=form,
        )


@admin.register(PracticeToReview)
class PracticeToReviewAdmin(PracticeAdmin):
    """The moderation queue: proposed practices, oldest first."""

    list_display = ["title", "proposer", "created_at", "kind"]
    list_filter = ["kind", "themes"]
    ordering = ["created_at"]
    date_hierarchy = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(state=Practice.State.PROPOSED)
            .select_related("proposer")
        )

    def has_add_permission(self, request):
        return False


# --- Changes to entries -------------------------------------------------------------------


@admin.action(description=gettext_lazy("Approuver et appliquer les modifications sélectionnées"))
def approve_changes(modeladmin, request, queryset):
    done = 0
    for change in queryset.filter(status=EntryChange.Status.PENDING):
        services.entry_change_approve(change=change, reviewer=request.user)
        done += 1
    modeladmin.message_user(
        request,
        ngettext("%d modification appliquée.", "%d modifications appliquées.", done) % done,
        messages.SUCCESS,
    )


def _reject_changes(request, changes, data) -> str:
    count = 0
    for change in changes:
        if change.status == EntryChange.Status.PENDING:
            services.entry_change_reject(change=change, reviewer=request.user, note=data["reason"])
            count += 1
    return ngettext("%d modification refusée.", "%d modifications refusées.", count) % count


reject_changes = asking_action(
    name="reject_changes",
    description=gettext_lazy("Refuser les modifications sélectionnées…"),
    form_class=ReasonForm,
    title=gettext_lazy("Refuser des modifications de fiches"),
    button=gettext_lazy("Refuser et prévenir"),
    apply=_reject_changes,
    permissions=["change"],
)


@admin.register(EntryChange)
class EntryChangeAdmin(admin.ModelAdmin):
    list_display = ["entry", "author", "status", "created_at", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["entry__name", "author__email"]
    list_select_related = ["entry", "author", "reviewed_by"]
    actions = [approve_changes, reject_changes]
    readonly_fields = [
        "entry",
        "author",
        "status",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
        "differences",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("Changements proposés"))
    def differences(self, obj: EntryChange) -> str:
        current = services.entry_change_data(obj.entry)
        rows = [
            (field, current.get(field), value)
            for field, value in obj.data.items()
            if current.get(field) != value
        ]
        if not rows:
            return _("Aucune différence avec la fiche publiée.")
        labels = {
            field.name: field.verbose_name
            for field in DirectoryEntry._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Champ"),
            _("Actuellement"),
            _("Proposé"),
            format_html_join(
                "",
                "<tr><th scope='row'>{}</th><td>{}</td><td><strong>{}</strong></td></tr>",
                (
                    (labels.get(field, field), _display(before), _display(after))
                    for field, before, after in rows
                ),
            ),
        )


def _display(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return value or "—"


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Who wrote to which structure, and when: counts for the team, never the contents."""

    list_display = ["entry", "sender", "created_at"]
    list_select_related = ["entry", "sender"]
    search_fields = ["entry__name"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "entry", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name", "entry__name"]
    autocomplete_fields = ["user", "entry"]
    list_select_related = ["user", "entry"]
