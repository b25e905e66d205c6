"""Answering a survey (from an invitation link, as a representative, or in staff preview),
its results for the staff and for the public, and its exports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusters.models import DirectoryEntry
from core.exportfiles import export_or_defer
from core.pagecache import public_page
from core.ratelimits import check_rate
from core.text import render_markdown
from reference.selectors import place_choices
from surveys import forms, selectors, services
from surveys.models import Answer, Response, Survey

MODES = {"token": "answer", "representative": "rep", "preview": "preview"}


class AnswerView(View):
    """Base of the answering pages: finds who answers for which structure, the same way
    whatever the door (a link, Mon espace or the staff preview)."""

    template_name = ""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "token" in kwargs:
            check_rate(request, group="survey-token", rate=settings.SURVEY_TOKEN_RATE)
            self.access = selectors.access_by_token(kwargs["token"])
            self.mode = "token"
        elif kwargs.get("preview"):
            self.access = selectors.access_for_preview(
                user=request.user, survey_slug=kwargs["slug"]
            )
            self.mode = "preview"
        else:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('account_login')}?next={request.path}")
            self.access = selectors.access_for_representative(
                user=request.user, survey_slug=kwargs["slug"], entry_slug=kwargs["entry"]
            )
            self.mode = "representative"
        self.survey = self.access.survey
        self.sections = list(self.survey.sections.all())
        self.response = (
            None
            if self.access.preview
            else Response.objects.filter(survey=self.survey, entry=self.access.entry).first()
        )
        if self.response is not None:
            self.response.survey = self.survey
        return super().dispatch(request, *args, **kwargs)

    def url(self, suffix: str = "", **extra) -> str:
        name = f"surveys:{MODES[self.mode]}{suffix}"
        if self.mode == "token":
            kwargs = {"token": self.access.token}
        elif self.mode == "preview":
            kwargs = {"slug": self.survey.slug}
        else:
            kwargs = {"slug": self.survey.slug, "entry": self.access.entry.slug}
        return reverse(name, kwargs={**kwargs, **extra})

    def context(self, **extra) -> dict:
        return {
            "survey": self.survey,
            "access": self.access,
            "sections": self.sections,
            "response": self.response,
            "start_url": self.url(),
            "review_url": self.url("_review"),
            "section_urls": [
                self.url("_section", number=n) for n in range(1, len(self.sections) + 1)
            ],
            **extra,
        }


class StartView(AnswerView):
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        invitation = self.access.invitation
        if self.mode == "token" and invitation and invitation.opened_at is None:
            services.invitation_mark_opened(invitation=invitation)
        submitted = self.response is not None and self.response.status == Response.Status.SUBMITTED
        context = self.context(
            intro=render_markdown(self.survey.intro),
            submitted=submitted,
            answers=services.answers_for_display(self.response) if submitted else None,
            resume_number=min(self.response.last_section, len(self.sections))
            if self.response
            else 1,
        )
        return render(request, "surveys/start.html", context)


class SectionView(AnswerView):
    def setup_section(self) -> None:
        number = self.kwargs["number"]
        if not 1 <= number <= len(self.sections):
            raise Http404
        self.number = number
        self.section = self.sections[number - 1]
        self.all_questions = services.survey_questions(self.survey, self.sections)
        self.questions = [q for q in self.all_questions if q.section_id == self.section.pk]
        if self.response is not None:
            self.answers = {
                a.question_id: a
                for a in Answer.objects.filter(response=self.response).prefetch_related("picked")
            }
            self.known = services.known_from(self.answers.values())
        else:
            self.answers, self.known = {}, {}
        # What earlier pages decided: a question whose conditions read only earlier
        # answers is left out when they do not hold (without JavaScript too); a section
        # whose conditions do not hold is passed.
        shown = services.visible_questions(self.all_questions, self.known)
        decided = services.reading_earlier_sections(self.all_questions)
        self.questions = [q for q in self.questions if q.pk in shown or q.pk not in decided]
        self.route = services.visible_sections(self.sections, self.all_questions, self.known)

    def closed(self) -> bool:
        return not self.access.preview and not self.survey.is_open

    def render_section(self, form, status: int = 200) -> HttpResponse:
        if form.is_bound:
            form.mark_errors()
        context = self.context(
            form=form,
            section=self.section,
            number=self.number,
            total=len(self.sections),
            progress=round(100 * (self.number - 1) / len(self.sections)),
            questions=[
                (
                    q,
                    form[forms.field_name(q)],
                    form[forms.other_name(q)] if q.allow_other and q.is_choice else None,
                    [form[name] for name in forms.part_names(q)],
                )
                for q in self.questions
            ],
            previous_url=self.next_url("previous"),
            closed=self.closed(),
            submitted=self.response is not None
            and self.response.status == Response.Status.SUBMITTED,
        )
        return render(self.request, "surveys/section.html", context, status=status)

    def form(self, data=None, enforce_required: bool = True):
        return forms.SectionForm(
            data,
            questions=self.questions,
            all_questions=self.all_questions,
            saved=self.known,
            answers=self.answers,
            enforce_required=enforce_required,
        )

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.setup_section()
        if self.response is not None and self.response.status == Response.Status.SUBMITTED:
            return redirect(self.url())
        if self.section.pk not in {section.pk for section in self.route}:
            return redirect(self.next_url("next"))  # a section the answers skip
        return self.render_section(self.form())

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.setup_section()
        action = request.POST.get("action", "next")
        if self.response is not None and self.response.status == Response.Status.SUBMITTED:
            messages.info(request, _("Ces réponses sont déjà envoyées."))
            return redirect(self.url())
        form = self.form(request.POST, enforce_required=action == "next")
        if not form.is_valid():
            return self.render_section(form, status=422)
        if self.access.preview:
            return redirect(self.next_url(action))
        if self.closed():
            messages.error(
                request,
                _("L'enquête n'est pas ouverte : vos réponses ne peuvent pas être enregistrées."),
            )
            return self.render_section(form, status=409)
        response = services.response_open(
            survey=self.survey,
            entry=self.access.entry,
            invitation=self.access.invitation,
            user=request.user if request.user.is_authenticated else None,
        )
        try:
            services.response_save_section(
                response=response, section=self.section, values=form.values(), number=self.number
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_section(form, status=409)
        if action == "save":
            messages.success(
                request,
                _(
                    "Vos réponses sont enregistrées. Revenez quand vous voulez avec le même "
                    "lien, depuis n'importe quel appareil."
                ),
            )
        return redirect(self.next_url(action))

    def _neighbour(self, step: int) -> int | None:
        """The number of the next (or previous) section the respondent goes through."""
        route = {section.pk for section in self.route}
        number = self.number + step
        while 1 <= number <= len(self.sections):
            if self.sections[number - 1].pk in route:
                return number
            number += step
        return None

    def next_url(self, action: str) -> str:
        if action == "previous":
            previous = self._neighbour(-1)
            return self.url("_section", number=previous) if previous else self.url()
        if action == "save":
            return self.url("_section", number=self.number)
        following = self._neighbour(+1)
        if following:
            return self.url("_section", number=following)
        return self.url("_review")


class ReviewView(AnswerView):
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.access.preview:
            return render(request, "surveys/review.html", self.context(answers=[], missing=[]))
        if self.response is None:
            return redirect(self.url("_section", number=1))
        if self.response.status == Response.Status.SUBMITTED:
            return redirect(self.url())
        questions = services.survey_questions(self.survey)
        context = self.context(
            answers=services.answers_for_display(self.response, questions),
            missing=services.missing_answers(self.response, questions),
            submit_url=self.url("_submit"),
            closed=not self.survey.is_open,
        )
        return render(request, "surveys/review.html", context)


class SubmitView(AnswerView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.access.preview or self.response is None:
            return redirect(self.url())
        try:
            _response, now = services.response_submit(
                response=self.response, email=self.access.email
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.url("_review"))
        if not now:
            messages.info(request, _("Ces réponses étaient déjà envoyées."))
        return redirect(self.url("_thanks"))


class ThanksView(AnswerView):
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.response is None or self.response.status != Response.Status.SUBMITTED:
            return redirect(self.url())
        return render(
            request,
            "surveys/thanks.html",
            self.context(thank_you=render_markdown(self.survey.thank_you)),
        )


# --- Results ---------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[str, str, dict]:
    region, kind = selectors.result_filters(request.GET)
    regions = place_choices()[0]
    kinds = DirectoryEntry._meta.get_field("kind").choices
    return region, kind, {"regions": regions, "kinds": kinds}


@login_required
@permission_required("surveys.view_response", raise_exception=True)
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff's results: participation, every question's figures, free text, themes."""
    survey = get_object_or_404(Survey, slug=slug)
    region, kind, choices = _filters(request)
    participation = selectors.participation(survey, region=region, kind=kind)
    context = {
        "survey": survey,
        "participation": participation,
        "sections": selectors.question_results(
            survey, region=region, kind=kind, signature=participation["signature"]
        ),
        "themes": selectors.themes_raised(survey),
        "region": region,
        "kind": kind,
        "query": request.GET.urlencode(),
        **choices,
    }
    return render(request, "surveys/dashboard.html", context)


@public_page(kinds=("surveys",))
def public_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregates only; any group of fewer than 5 responses is hidden."""
    survey = get_object_or_404(Survey.objects.published_results(), slug=slug)
    participation = selectors.participation(survey)
    context = {
        "survey": survey,
        "summary": render_markdown(survey.results_summary),
        "count": participation["overall"]["responses"],
        "by_region": [
            r for r in participation["by_region"] if r["submitted"] >= selectors.MIN_PUBLIC_GROUP
        ],
        "by_kind": [
            r for r in participation["by_kind"] if r["submitted"] >= selectors.MIN_PUBLIC_GROUP
        ],
        "sections": selectors.question_results(
            survey, public=True, signature=participation["signature"]
        ),
        "themes": selectors.themes_raised(survey, public=True),
        "minimum": selectors.MIN_PUBLIC_GROUP,
    }
    return render(request, "surveys/results.html", context)


@public_page(kinds=("surveys",))
def survey_index(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.published_results().order_by("-opens_at")
    return render(request, "surveys/index.html", {"surveys": surveys})


@login_required
@permission_required("surveys.view_response", raise_exception=True)
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The submitted responses the dashboard's filters select, one row each; made by the
    worker when there are many."""
    survey = get_object_or_404(Survey, slug=slug)
    region, kind, _choices = _filters(request)
    return export_or_defer(
        request,
        builder="surveys.exports.responses_file",
        fmt=fmt,
        rows=selectors.submitted(survey, region=region, kind=kind).count(),
        label=_("Réponses à « %(title)s » (%(format)s)")
        % {"title": survey.title, "format": fmt.upper()},
        arguments={"slug": survey.slug},
    )
