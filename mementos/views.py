"""The mementos on the site: list, memento and case-study pages, files, feed, sign-off."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.pagecache import public_page
from core.text import render_markdown
from mementos import selectors, services
from mementos.forms import ReviewForm
from mementos.models import Memento, Monograph

MONOGRAPH_PARTS = [
    ("context", gettext_lazy("Contexte")),
    ("actions", gettext_lazy("Actions")),
    ("funding", gettext_lazy("Financements")),
    ("results", gettext_lazy("Résultats")),
    ("success_factors", gettext_lazy("Facteurs de réussite")),
    ("pitfalls", gettext_lazy("Écueils à éviter")),
    ("contacts", gettext_lazy("Contacts")),
]


@public_page(kinds=("mementos", "directory"))
def memento_list(request: HttpRequest) -> HttpResponse:
    context = selectors.memento_list(query=request.GET.get("q", ""))
    return render(request, "mementos/list.html", context)


@public_page(kinds=("mementos", "directory"))
def memento_detail(request: HttpRequest, slug: str) -> HttpResponse:
    memento = selectors.memento_for(user=request.user, slug=slug)
    page = selectors.memento_page(memento)
    context = {
        "memento": memento,
        "page": page,
        "summary": render_markdown(memento.summary),
        "sections": [(section, render_markdown(section.body)) for section in page.sections],
        "preview": not memento.is_public,
        "og_image": request.build_absolute_uri(reverse("mementos:cover", args=[memento.slug]))
        if memento.cover and memento.is_public
        else "",
    }
    return render(request, "mementos/detail.html", context)


@public_page(kinds=("mementos", "directory"))
def monograph_detail(request: HttpRequest, slug: str, monograph: str) -> HttpResponse:
    found = selectors.monograph_for(user=request.user, slug=slug, monograph=monograph)
    return render(request, "mementos/monograph.html", _monograph_context(found))


def _monograph_context(monograph: Monograph) -> dict:
    return {
        "monograph": monograph,
        "memento": monograph.memento,
        "parts": [
            (label, render_markdown(getattr(monograph, name)))
            for name, label in MONOGRAPH_PARTS
            if getattr(monograph, name)
        ],
        "practices": selectors.monograph_practices(monograph),
        "themes": selectors.monograph_themes(monograph),
        "preview": not monograph.memento.is_public,
    }


def memento_pdf(request: HttpRequest, slug: str) -> FileResponse:
    memento = selectors.memento_for(user=request.user, slug=slug)
    if not memento.pdf:
        raise Http404
    return FileResponse(
        memento.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=memento.pdf_filename,
    )


def memento_cover(request: HttpRequest, slug: str) -> FileResponse:
    memento = selectors.memento_for(user=request.user, slug=slug)
    if not memento.cover:
        raise Http404
    content_type = mimetypes.guess_type(memento.cover.name)[0] or "image/jpeg"
    response = FileResponse(memento.cover.open("rb"), content_type=content_type)
    if memento.is_public:
        response["Cache-Control"] = "public, max-age=86400"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


class MementoFeed(Feed):
    """An Atom feed of the published mementos, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Interclusters — mémentos de bonnes pratiques")
    subtitle = gettext_lazy(
        "Les mémentos du programme inter clusters, à mesure de leur publication."
    )
    link = reverse_lazy("mementos:list")

    def items(self):
        return (
            Memento.objects.published()
            .prefetch_related("lead_partners")
            .order_by("-published_at")[:20]
        )

    def item_title(self, item: Memento) -> str:
        return str(item)

    def item_description(self, item: Memento) -> str:
        return str(render_markdown(item.summary))

    def item_pubdate(self, item: Memento):
        return item.published_at

    def item_updateddate(self, item: Memento):
        return item.updated_at

    def item_author_name(self, item: Memento) -> str:
        partners = ", ".join(partner.name for partner in item.lead_partners.all())
        return partners or "Interclusters"


@login_required
@require_http_methods(["GET", "POST"])
def monograph_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A representative reads the case study about their structure (even unpublished) and
    approves it or asks for changes."""
    monograph = selectors.monograph_for_review(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_respond(
                monograph=monograph,
                user=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Merci : votre avis est transmis à l'équipe du programme."))
            return redirect(reverse("accounts:dashboard"))
    context = {
        **_monograph_context(monograph),
        "form": form,
        "reviews": selectors.reviews_of(monograph),
        "reviewing": True,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "mementos/review.html", context, status=status)
