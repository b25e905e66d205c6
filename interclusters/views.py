"""Site-wide pages: home, about, legal pages, accounts ("Mon espace"), health check."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from clusters import selectors as clusters_selectors
from core import licences
from core.accounts import has_verified_email, verified_email_required
from core.mail import absolute_url
from core.pagecache import public_page
from core.ratelimits import describe
from events import selectors as events_selectors
from interclusters import accounts, alerts, forms, selectors, services, themes
from interclusters.models import SavedSearch
from interclusters.search import site_search
from mementos import selectors as mementos_selectors
from reference.models import Theme
from surveys import selectors as surveys_selectors


class InvalidFormStatusMixin:
    """A form sent back with errors answers 422, so that bad input is never a 200."""

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 422
        return response


@public_page
class HomeView(TemplateView):
    template_name = "interclusters/home.html"

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "figures": selectors.home_key_figures(),
            "latest_practices": selectors.latest_practices(),
            "latest_mementos": selectors.latest_mementos(),
            "next_events": events_selectors.upcoming_with_seats(),
            "themes": selectors.themes_for_home(),
        }


@public_page
def search(request: HttpRequest) -> HttpResponse:
    """One search across the portal's published content."""
    return render(
        request, "interclusters/search.html", {"search": site_search(request.GET.get("q"))}
    )


@public_page
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "interclusters/themes.html", {"themes": themes.themes_overview()})


@public_page
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("directory_total"), slug=slug)
    thread = themes.theme_thread(theme)
    return render(
        request,
        "interclusters/theme.html",
        {"thread": thread, "theme": theme},
    )


@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    """« Données ouvertes »: every dataset, its formats and addresses, licence and date;
    with ``?format=json`` the same as a catalogue for data.gouv.fr and harvesters."""
    datasets = selectors.open_datasets()
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "publisher": licences.PRODUCER,
                "licence": {"name": licences.LICENCE_NAME, "url": licences.LICENCE_URL},
                "sources": [
                    {"what": str(what), "publisher": who, "licence": lic}
                    for what, who, lic in licences.SOURCES
                ],
                "api": {
                    "openapi": absolute_url(reverse("api:openapi-json")),
                    "documentation": absolute_url(reverse("api:openapi-view")),
                },
                "datasets": [
                    {
                        **dataset,
                        "title": str(dataset["title"]),
                        "description": str(dataset["description"]),
                        "updated_at": dataset["updated_at"].isoformat()
                        if dataset["updated_at"]
                        else None,
                        "formats": [{**f, "label": str(f["label"])} for f in dataset["formats"]],
                    }
                    for dataset in datasets
                ],
            },
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    return render(
        request,
        "interclusters/open_data.html",
        {
            "datasets": datasets,
            "licence_name": licences.LICENCE_NAME,
            "licence_url": licences.LICENCE_URL,
            "producer": licences.PRODUCER,
            "sources": licences.SOURCES,
        },
    )


class PageView(TemplateView):
    """A static page of the site (about, legal notice, privacy, accessibility)."""


class DashboardView(LoginRequiredMixin, TemplateView):
    """ "Mon espace": everything of the signed-in person's, block by block."""

    template_name = "interclusters/dashboard.html"

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "my_practices": list(clusters_selectors.member_practices(user)),
            "my_entries": list(clusters_selectors.member_entries(user)),
            "my_registrations": events_selectors.member_registrations(user),
            "my_proposals": events_selectors.member_proposals(user),
            "my_surveys": surveys_selectors.surveys_for_member(user),
            "my_reviews": mementos_selectors.monographs_to_review(user),
            "email_verified": has_verified_email(user),
        }


class ProfileView(LoginRequiredMixin, InvalidFormStatusMixin, FormView):
    template_name = "interclusters/profile.html"
    form_class = forms.ProfileForm
    success_url = reverse_lazy("accounts:dashboard")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form: forms.ProfileForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.user_update_profile(
                user=self.request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation_name=data["organisation_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Votre profil est enregistré."))
        return super().form_valid(form)


@method_decorator(reauthentication_required, name="dispatch")
class AccountDeleteView(LoginRequiredMixin, InvalidFormStatusMixin, FormView):
    """A person deletes their account, after proving their password (or second factor)
    again within the last minutes."""

    template_name = "interclusters/account_delete.html"
    form_class = forms.AccountDeleteForm

    def form_valid(self, form: forms.AccountDeleteForm) -> HttpResponse:
        user = self.request.user
        try:
            services.account_delete(user=user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(
            self.request, _("Votre compte est supprimé. Merci d'avoir participé au programme.")
        )
        return redirect("home")


# --- Alerts ----------------------------------------------------------------------------


@verified_email_required
@require_POST
def alert_create(request: HttpRequest) -> HttpResponse:
    """Save the search of the page the form sits on (or a structure's potential partners)
    as an alert; back to that page, or the form again with what was wrong."""
    form = forms.AlertForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        query = alerts.normalised_query(QueryDict(data["query"]))
        try:
            alert = services.alert_create(
                user=request.user, kind=data["kind"], name=data["name"], query=query,
                frequency=data["frequency"], entry=data["entry"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Alerte « %(name)s » créée : vous recevrez les nouveautés %(when)s.")
                % {"name": alert.name, "when": alert.get_frequency_display()},
            )
            return redirect(alerts.page_url(alert))
    return render(request, "interclusters/alert_form.html", {"form": form}, status=422)


class AlertListView(LoginRequiredMixin, TemplateView):
    """Mon espace → Mes alertes: each alert, its page, its frequency; change or delete."""

    template_name = "interclusters/alerts.html"

    def get_context_data(self, **kwargs) -> dict:
        rows = [
            {"alert": alert, "url": alerts.page_url(alert), "what": alerts.describe(alert),
             "form": forms.AlertEditForm(instance=alert, prefix=f"a{alert.pk}")}
            for alert in selectors.alerts_of_user(self.request.user)
        ]  # fmt: skip
        return {**super().get_context_data(**kwargs), "rows": rows}


@login_required
@require_POST
def alert_update(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_of_user(user=request.user, pk=pk)
    form = forms.AlertEditForm(request.POST, instance=alert, prefix=f"a{alert.pk}")
    if not form.is_valid():
        messages.error(request, _("Alerte non modifiée : %(errors)s")
                       % {"errors": " ".join(form.errors.get("name", []) or [""])})  # fmt: skip
        return redirect("accounts:alerts")
    services.alert_update(alert=alert, **form.cleaned_data)
    messages.success(request, _("Alerte « %(name)s » enregistrée.") % {"name": alert.name})
    return redirect("accounts:alerts")


@login_required
@require_POST
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_of_user(user=request.user, pk=pk)
    services.alert_delete(alert=alert)
    messages.success(request, _("Alerte « %(name)s » supprimée.") % {"name": alert.name})
    return redirect("accounts:alerts")


@csrf_exempt
@never_cache
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of every digest. GET asks to confirm (mail scanners open links); POST
    unsubscribes without signing in, the mail client's one-click (RFC 8058) included."""
    if request.method == "POST":
        alert = services.alert_unsubscribe(token=token[:100])
        return render(request, "interclusters/alert_unsubscribed.html", {"alert": alert})
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    alert = SavedSearch.objects.filter(token=token[:100]).first()
    return render(request, "interclusters/alert_unsubscribe.html", {"alert": alert},
                  status=200 if alert else 404)  # fmt: skip


@login_required
@never_cache
def personal_data(request: HttpRequest) -> JsonResponse:
    """What the portal holds about the signed-in person, as a JSON file."""
    response = JsonResponse(
        selectors.personal_data(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-interclusters.json"'
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    """The 429 page, saying which limit was reached and the longest wait."""
    return render(request, "429.html", describe(getattr(exception, "rate", "") or ""), status=429)


def account_rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    """The 429 page of django-allauth's limits (sign-up, reset…), naming the limit."""
    return render(request, "429.html", describe(accounts.reached_rate(request)), status=429)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers: the public pages and their sitemap; not the accounts, the admin, the
    survey links or the search results."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /compte/",
        "Disallow: /enquetes/r/",
        "Disallow: /recherche/",
        "Disallow: /mementos/relecture/",
        "Disallow: /alertes/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
