"""Pages of the directory, the practices and the map; thin: selectors read, services write."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from clusters import forms, selectors, services
from clusters.filters import SearchFilterSet
from clusters.models import Category
from core import search
from core.accounts import VerifiedEmailRequiredMixin
from core.exportfiles import export_or_defer
from core.pagecache import public_page
from core.pagination import bounded_page, ranked_page
from core.ratelimits import check_rate, limit_posts
from core.text import render_markdown, render_plain
from reference.selectors import themes_of

PAGE_SIZE = 20


class FilteredListView(TemplateView):
    """A list filtered by a FilterSet, searched, sorted, paginated. Invalid filters give a
    400 page that says which and still shows the list without them."""

    filter_selector = None
    results_template = ""
    alert_kind = ""  # the kind of alert that saves this page's search

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filterset: SearchFilterSet = type(self).filter_selector(request.GET)
        rows = self.decorate(filterset.qs)
        if filterset.search_outcome is not None:
            page = ranked_page(rows, request.GET.get("page"), PAGE_SIZE, search.RANKED_CANDIDATES)
        else:
            page = bounded_page(rows, request.GET.get("page"), PAGE_SIZE)
        self.decorate_page(page.object_list)
        paginator = page.paginator
        query = request.GET.copy()
        query.pop("page", None)
        context = self.get_context_data(
            filter=filterset,
            page_obj=page,
            paginator=paginator,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            results=page.object_list,
            query=query.urlencode(),
            chips=filterset.active_filters(),
            search=filterset.search_outcome,
            alert_kind=self.alert_kind,
        )
        status = 400 if filterset.is_bound and filterset.errors else 200
        template = self.results_template if request.htmx else self.template_name
        return self.response_class(
            request=request, template=[template], context=context, status=status
        )

    def decorate(self, rows):
        """The list's query, with what its rows show."""
        return rows

    def decorate_page(self, rows: list) -> None:
        """What the rows of the page show that their query did not read."""


@limit_posts("entry-contact", "CONTACT_RATE", key="user_or_ip")
class EntryContactView(LoginRequiredMixin, VerifiedEmailRequiredMixin, FormView):
    """« Contacter cette structure »: the message goes by email; the address stays hidden."""

    template_name = "clusters/entry_contact.html"
    form_class = forms.EntryContactForm
    category = Category.STRUCTURE

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.entry = selectors.entry_for_public(
            category=self.category, slug=kwargs["slug"], user=request.user
        )
        return super().dispatch(request, *args, **kwargs)

    @property
    def reachable(self) -> bool:
        return bool(self.entry.published and self.entry.accepts_messages and self.entry.email)

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "entry": self.entry,
                "reachable": self.reachable}  # fmt: skip

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.reachable:
            return self.render_to_response(self.get_context_data(), status=403)
        # Per structure too: a structure is not flooded whoever writes.
        check_rate(request, group="entry-contact-to", rate=settings.CONTACT_ENTRY_RATE,
                   key=lambda group, request: f"entry:{self.entry.pk}")  # fmt: skip
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def form_valid(self, form) -> HttpResponse:
        services.entry_contact(entry=self.entry, sender=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Votre message est envoyé à %(name)s ; une copie vous est adressée.")
            % {"name": self.entry.name},
        )
        return redirect(self.entry.get_absolute_url())


@public_page(kinds=("directory",))
class DirectoryView(FilteredListView):
    template_name = "clusters/directory.html"
    results_template = "clusters/partials/directory_results.html"
    alert_kind = "directory"
    filter_selector = staticmethod(selectors.directory_filter)

    def decorate(self, rows):
        return rows.only(*selectors.ENTRY_CARD_FIELDS).select_related("commune", "department")


@public_page(kinds=("directory",))
class PracticeListView(FilteredListView):
    template_name = "clusters/practice_list.html"
    results_template = "clusters/partials/practice_results.html"
    alert_kind = "practices"
    filter_selector = staticmethod(selectors.practice_filter)

    def decorate(self, rows):
        return rows.only(*selectors.PRACTICE_CARD_FIELDS)

    def decorate_page(self, rows: list) -> None:
        selectors.attach_card_partners(rows)


@public_page(kinds=("directory",))
class EntryDetailView(TemplateView):
    """The page of a structure or a territory (one view, the category in the URL)."""

    template_name = "clusters/entry_detail.html"
    category = Category.STRUCTURE

    def get_context_data(self, **kwargs) -> dict:
        entry = selectors.entry_for_public(
            category=self.category, slug=kwargs["slug"], user=self.request.user
        )
        practices, practice_total = selectors.entry_practices(entry)
        can_edit = selectors.represents(user=self.request.user, entry=entry)
        return {
            **super().get_context_data(**kwargs),
            "entry": entry,
            "themes": themes_of(entry.theme_ids),
            "description": render_plain(entry.description),
            "practices": practices,
            "practice_total": practice_total,
            "partners": selectors.entry_partners(entry),
            "potential_partners": selectors.potential_partners(entry),
            "can_edit": can_edit,
            "pending_change": selectors.pending_change(entry) if can_edit else None,
        }


@public_page(kinds=("directory",))
class PracticeDetailView(TemplateView):
    template_name = "clusters/practice_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        practice = selectors.practice_for_public(slug=kwargs["slug"], user=self.request.user)
        partners = list(practice.partners.all())
        return {
            **super().get_context_data(**kwargs),
            "practice": practice,
            "themes": themes_of(practice.theme_ids),
            "partners": partners,
            "body": render_markdown(practice.body),
            "geojson": selectors.practice_geojson(practice),
        }


@public_page(kinds=("directory",))
class MapView(TemplateView):
    template_name = "clusters/map.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filterset = selectors.directory_filter(request.GET)
        entries = list(filterset.qs.select_related("commune")[:50])
        total = filterset.qs.count()
        context = self.get_context_data(
            filter=filterset,
            entries=entries,
            total=total,
            query=request.GET.urlencode(),
            chips=filterset.active_filters(),
        )
        status = 400 if filterset.is_bound and filterset.errors else 200
        return self.render_to_response(context, status=status)


@public_page(kinds=("directory",))
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the entries the map's filters select in the map's view: each point and
    their rural–urban links, or groups of points when there are too many to draw."""
    filterset = selectors.directory_filter(request.GET)
    if filterset.is_bound and filterset.errors:
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    view = forms.MapViewForm(request.GET)
    if not view.is_valid():
        return JsonResponse({"errors": view.errors.get_json_data()}, status=400)
    return JsonResponse(
        selectors.map_view_geojson(
            filterset.qs, zoom=view.cleaned_data["zoom"], bbox=view.cleaned_data["bbox"]
        )
    )


@require_GET
def entry_autocomplete(request: HttpRequest) -> JsonResponse:
    """Published entries whose name contains the typed text, accents and case aside."""
    rows = selectors.entries_named_like(request.GET.get("q"))
    return JsonResponse(
        {
            "results": [
                {
                    "id": row.pk,
                    "name": row.name,
                    "label": f"{row.name} — {row.get_kind_display()}"
                    + (f", {row.commune}" if row.commune_id else ""),
                }
                for row in rows
            ]
        }
    )


# --- Exports ---------------------------------------------------------------------------


def _bad_filters(filterset) -> HttpResponse | None:
    if filterset.is_bound and filterset.errors:
        messages_ = "; ".join(
            _("%(filter)s : %(value)s")
            % {"filter": filterset.form.fields[name].label, "value": " ".join(errors)}
            for name, errors in filterset.errors.items()
        )
        return HttpResponse(
            _("Filtres invalides : %(errors)s") % {"errors": messages_},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return None


@require_GET
def directory_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the entries the directory's filters select, as CSV, XLSX or GeoJSON (the
    entries' points; their links are a separate layer); made by the worker when big."""
    filterset = selectors.directory_filter(request.GET)
    if bad := _bad_filters(filterset):
        return bad
    return export_or_defer(
        request,
        builder="clusters.exports.directory_file",
        fmt=fmt,
        rows=filterset.qs.count(),
        label=_("Annuaire Interclusters (%(format)s)") % {"format": fmt.upper()},
    )


@require_GET
def practice_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the practices the list's filters select, as CSV, XLSX or GeoJSON; made by
    the worker when big."""
    filterset = selectors.practice_filter(request.GET)
    if bad := _bad_filters(filterset):
        return bad
    return export_or_defer(
        request,
        builder="clusters.exports.practices_file",
        fmt=fmt,
        rows=filterset.qs.count(),
        label=_("Pratiques innovantes (%(format)s)") % {"format": fmt.upper()},
    )


# --- Contributions -----------------------------------------------------------------------


@limit_posts("proposal", "PROPOSAL_RATE", key="user_or_ip")
class PracticeProposeView(LoginRequiredMixin, VerifiedEmailRequiredMixin, TemplateView):
    template_name = "clusters/practice_propose.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                form=forms.PracticeProposalForm(),
                partners=forms.PartnerFormSet(prefix="partners", initial=[{"role": "lead"}]),
            )
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = forms.PracticeProposalForm(request.POST)
        partners = forms.PartnerFormSet(request.POST, prefix="partners")
        if not (form.is_valid() and partners.is_valid()):
            context = self.get_context_data(form=form, partners=partners)
            return self.render_to_response(context, status=422)
        practice = form.save(commit=False)
        services.practice_propose(
            proposer=request.user,
            practice=practice,
            themes=form.cleaned_data["themes"],
            funding_measures=form.cleaned_data["funding_measures"],
            partners=partners.partners,
            links=form.cleaned_data["links"],
        )
        messages.success(
            request,
            _(
                "Merci ! Votre pratique « %(title)s » est proposée : l'équipe la relit avant "
                "de la publier. Suivez-la depuis Mon espace."
            )
            % {"title": practice.title},
        )
        return redirect("accounts:dashboard")


class EntryEditView(LoginRequiredMixin, VerifiedEmailRequiredMixin, FormView):
    """A representative proposes changes to their entry; staff approve them."""

    template_name = "clusters/entry_edit.html"
    form_class = forms.EntryChangeForm
    category = Category.STRUCTURE

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            self.entry = selectors.entry_for_representative(
                user=request.user, category=self.category, slug=kwargs["slug"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        pending = selectors.pending_change(self.entry)
        return dict(pending.data) if pending else services.entry_change_data(self.entry)

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "entry": self.entry,
            "pending_change": selectors.pending_change(self.entry),
        }

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 422
        return response

    def form_valid(self, form: forms.EntryChangeForm) -> HttpResponse:
        services.entry_change_propose(
            entry=self.entry, author=self.request.user, data=form.change_data()
        )
        messages.success(
            self.request,
            _(
                "Vos modifications sont enregistrées. L'équipe les relit avant de les publier ; "
                "la fiche publique reste inchangée d'ici là."
            ),
        )
        return redirect(self.entry.get_absolute_url())
