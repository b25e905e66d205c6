"""The survey designer: a whole survey on one page, for the staff who build surveys —
sections and questions in order, each shown as a respondent sees it, edited in place
(with htmx; plain forms without JavaScript), moved, duplicated or deleted; choices and
grid rows typed one per line; conditions picked from the survey's earlier questions."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import modelformset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import CrispyMixin, validate_no_html
from surveys import forms as answer_forms
from surveys import services
from surveys.models import ConditionMode, Question, Rule, Section, Survey

MAX_LINES = 60
LINES_HELP = gettext_lazy("Un par ligne, dans l'ordre.")


def _lines(text: str, what: str) -> list[str]:
    """The labels typed one per line (blank lines skipped), checked."""
    labels = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(labels) > MAX_LINES:
        raise ValidationError(_("%(max)s au plus.") % {"max": MAX_LINES})
    for label in labels:
        if len(label) > 200:
            raise ValidationError(
                _("« %(label)s… » dépasse 200 caractères.") % {"label": label[:40]}
            )
        validate_no_html(label)
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValidationError(
            _("%(what)s en double : %(labels)s.") % {"what": what, "labels": ", ".join(duplicates)}
        )
    return labels


class SectionDesignForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description", "condition_mode"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Asked with the conditions only (a new section has none yet).
        self.fields["condition_mode"].required = False

    def clean_condition_mode(self) -> str:
        return self.cleaned_data.get("condition_mode") or ConditionMode.ALL

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        validate_no_html(title)
        return title


class QuestionDesignForm(CrispyMixin, forms.ModelForm):
    """A question with its choices and grid rows typed one per line."""

    choices_text = forms.CharField(
        label=gettext_lazy("Choix (ou colonnes d'une grille, ou éléments à classer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=LINES_HELP,
    )
    rows_text = forms.CharField(
        label=gettext_lazy("Lignes de la grille"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=LINES_HELP,
    )

    class Meta:
        model = Question
        fields = [
            "section", "code", "label", "help_text", "kind", "required", "choices_text",
            "rows_text", "allow_other", "min_choices", "max_choices", "scale_min", "scale_max",
            "scale_min_label", "scale_max_label", "number_min", "number_max", "text_format",
            "condition_mode",
        ]  # fmt: skip

    def __init__(self, *args, survey: Survey, locked: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["section"].queryset = survey.sections.all()
        self.fields["section"].empty_label = None
        self.fields["section"].label_from_instance = lambda section: section.title
        self.fields["condition_mode"].label = _("Affichée si (quand elle a des conditions)")
        self.fields["condition_mode"].required = False
        if self.instance.pk:
            self.initial.setdefault(
                "choices_text", "\n".join(c.label for c in self.instance.choices.all())
            )
            self.initial.setdefault(
                "rows_text", "\n".join(r.label for r in self.instance.rows.all())
            )
            if locked:
                for name in ("kind", "section", "scale_min", "scale_max"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Verrouillé : des réponses existent déjà (elles deviendraient fausses)."
                    )

    def clean_condition_mode(self) -> str:
        return self.cleaned_data.get("condition_mode") or ConditionMode.ALL

    def clean_label(self) -> str:
        label = self.cleaned_data["label"]
        validate_no_html(label)
        return label

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = Question.objects.filter(section__survey=self.survey, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(_("Ce code sert déjà à une autre question de l'enquête."))
        return code

    def clean_choices_text(self) -> list[str]:
        return _lines(self.cleaned_data.get("choices_text"), _("Choix"))

    def clean_rows_text(self) -> list[str]:
        return _lines(self.cleaned_data.get("rows_text"), _("Lignes"))

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        choices, rows = cleaned.get("choices_text"), cleaned.get("rows_text")
        has_choices = kind in Question.CHOICE_KINDS or kind in Question.PLACED_KINDS
        if has_choices and choices is not None and len(choices) < 2:
            self.add_error("choices_text", _("Donnez au moins deux choix, un par ligne."))
        if kind == Question.Kind.GRID and rows is not None and not rows:
            self.add_error("rows_text", _("Donnez au moins une ligne à la grille."))
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if kind == Question.Kind.SCALE and low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("Le maximum de l'échelle doit dépasser le minimum."))
        low, high = cleaned.get("number_min"), cleaned.get("number_max")
        if low is not None and high is not None and high < low:
            self.add_error("number_max", _("Le nombre maximum doit être au moins le minimum."))
        few, many = cleaned.get("min_choices"), cleaned.get("max_choices")
        if few and many and many < few:
            self.add_error("max_choices", _("« Au plus » doit être au moins « au moins »."))
        return cleaned


class DesignRuleForm(answer_forms.RuleForm):
    """A condition of the designer: only on the questions asked before its owner."""

    def __init__(self, *args, owner=None, earlier=(), **kwargs) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        ids = [question.pk for question in earlier]
        self.fields["source"].queryset = self.fields["source"].queryset.filter(pk__in=ids)
        self.fields["choice"].queryset = self.fields["choice"].queryset.filter(question_id__in=ids)
        self.fields["source"].label = _("Si, à la question")
        self.fields["number"].widget.attrs["step"] = "any"


RuleFormSet = modelformset_factory(
    Rule, form=DesignRuleForm, fields=["source", "operator", "choice", "number"], extra=1,
    can_delete=True, max_num=10, validate_max=True,
)  # fmt: skip


# --- The page ----------------------------------------------------------------------------------


def _anchor(obj) -> str:
    return f"{'s' if isinstance(obj, Section) else 'q'}{obj.pk}"


class Designer:
    """What the page shows: every section with its questions (each with its preview as a
    respondent sees it), and the one thing being edited, if any."""

    def __init__(self, request: HttpRequest, survey: Survey) -> None:
        self.request = request
        self.survey = survey
        self.locked = services.survey_has_answers(survey.pk)
        self.sections = list(survey.sections.all())
        self.questions = services.survey_questions(survey, self.sections)

    def earlier(self, question: Question) -> list[Question]:
        found = []
        for other in self.questions:
            if other.pk == question.pk:
                break
            found.append(other)
        return found

    def earlier_than_section(self, section: Section) -> list[Question]:
        order = [s.pk for s in self.sections]
        return [q for q in self.questions if order.index(q.section_id) < order.index(section.pk)]

    def question_form(self, question: Question | None = None, section: Section | None = None):
        data = self.request.POST if self.request.method == "POST" else None
        instance = question or Question(section=section)
        initial = {"section": section} if section else {}
        return QuestionDesignForm(
            data, instance=instance, survey=self.survey, locked=self.locked, prefix="question",
            initial=initial,
        )  # fmt: skip

    def rules_formset(self, owner, earlier):
        data = self.request.POST if self.request.method == "POST" else None
        return RuleFormSet(
            data,
            queryset=owner.rules.all(),
            prefix="rules",
            form_kwargs={"owner": owner, "earlier": earlier},
        )

    def context(self, **editing) -> dict:
        by_section: dict[int, list[Question]] = {s.pk: [] for s in self.sections}
        for question in self.questions:
            by_section[question.section_id].append(question)
        parts = []
        for section in self.sections:
            section.anchor, section.new_key = f"s{section.pk}", f"nq{section.pk}"
            questions = by_section[section.pk]
            preview = answer_forms.SectionForm(
                questions=questions, all_questions=self.questions, saved={},
                prefix=f"apercu{section.pk}",
            )  # fmt: skip
            for question in questions:
                question.anchor = f"q{question.pk}"
            items = [
                (
                    question,
                    preview[answer_forms.field_name(question)],
                    preview[answer_forms.other_name(question)]
                    if question.allow_other and question.is_choice else None,
                    [preview[name] for name in answer_forms.part_names(question)],
                )
                for question in questions
            ]  # fmt: skip
            parts.append((section, items))
        return {
            "survey": self.survey,
            "locked": self.locked,
            "parts": parts,
            "question_count": len(self.questions),
            "kinds": Question.Kind,
            **editing,
        }


def _designer_url(survey: Survey, anchor: str = "") -> str:
    url = reverse("surveys:designer", kwargs={"slug": survey.slug})
    return f"{url}#{anchor}" if anchor else url


def _find(model, pk: str | None, survey: Survey):
    """A section or question of this survey (never another's), or 404."""
    try:
        pk = int(pk or "")
    except ValueError:
        raise Http404 from None
    lookup = {"survey": survey} if model is Section else {"section__survey": survey}
    return get_object_or_404(model, pk=pk, **lookup)


@login_required
@permission_required("surveys.change_survey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def designer(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    page = Designer(request, survey)
    editing: dict = {}
    status = 200
    target = request.POST.get("target") or request.GET.get("modifier") or ""
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            done = _act(request, page, action, target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_designer_url(survey))
        if isinstance(done, str):
            return redirect(_designer_url(survey, done))
        editing, status = done, 422
    elif target:
        editing = _editing(page, target)
    return render(request, "surveys/designer.html", page.context(**editing), status=status)


def _editing(page: Designer, target: str) -> dict:
    """The form shown in place: ``q12`` a question, ``s3`` a section, ``nq3`` a new
    question in section 3, ``ns`` a new section."""
    survey = page.survey
    data = page.request.POST if page.request.method == "POST" else None
    if target == "ns":
        return {"target": target, "section_form": SectionDesignForm(data, prefix="section")}
    if target.startswith("nq"):
        section = _find(Section, target[2:], survey)
        return {"target": target, "question_form": page.question_form(section=section),
                "at_section": section.pk}  # fmt: skip
    if target.startswith("q"):
        question = _find(Question, target[1:], survey)
        return {
            "target": target,
            "question_form": page.question_form(question),
            "rules": page.rules_formset(question, page.earlier(question)),
        }
    if target.startswith("s"):
        section = _find(Section, target[1:], survey)
        return {
            "target": target,
            "section_form": SectionDesignForm(data, instance=section, prefix="section"),
            "rules": page.rules_formset(section, page.earlier_than_section(section)),
        }
    raise Http404


@transaction.atomic
def _act(request: HttpRequest, page: Designer, action: str, target: str) -> str | dict:
    """Carry out one change. Returns the anchor to go back to, or (invalid input) what to
    show again with its errors."""
    survey = page.survey
    if action == "open":
        services.survey_open(survey=survey)
        messages.success(request, _("L'enquête est ouverte aux répondants."))
        return "outils"
    if action in ("up", "down", "duplicate", "delete"):
        model = Section if target.startswith("s") else Question
        item = _find(model, target[1:], survey)
        if action in ("up", "down"):
            services.item_move(item=item, step=-1 if action == "up" else 1)
            return _anchor(item)
        if action == "duplicate" and model is Question:
            copy = services.question_duplicate(question=item)
            messages.success(request, _("Question dupliquée : « %(code)s ».") % {"code": copy.code})
            return _anchor(copy)
        if action == "delete":
            if model is Section:
                services.section_delete(section=item)
            else:
                services.question_delete(question=item)
            messages.success(request, _("Supprimé."))
            return ""
        raise Http404
    if action != "save":
        raise Http404
    editing = _editing(page, target)
    if "question_form" in editing:
        form = editing["question_form"]
        rules = editing.get("rules")
        valid = form.is_valid() and (rules is None or rules.is_valid())
        if not valid:
            return editing
        question = form.save(commit=False)
        services.question_save(
            question=question,
            choices=form.cleaned_data["choices_text"] if question.has_choices else [],
            rows=form.cleaned_data["rows_text"] if question.kind == Question.Kind.GRID else [],
        )
        if rules is not None:
            _save_rules(rules, question=question)
        return _anchor(question)
    form = editing["section_form"]
    rules = editing.get("rules")
    if not form.is_valid() or (rules is not None and not rules.is_valid()):
        return editing
    section = form.save(commit=False)
    section.survey = survey
    services.section_save(section=section)
    if rules is not None:
        _save_rules(rules, section=section)
    return _anchor(section)


def _save_rules(formset, **owner) -> None:
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        rule = form.save(commit=False)
        rule.question = owner.get("question")
        rule.section = owner.get("section")
        rule.save()
