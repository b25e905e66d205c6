"""The form of one section of a survey, built from its questions."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.exports import french_number
from core.forms import validate_no_html
from surveys.models import Answer, Choice, Question, Rule, Section
from surveys.services import LOCKED_REASON, OTHER, Known, Value, visible_questions

YES, NO = "yes", "no"
REQUIRED = _("Cette question est obligatoire.")
LOCKED = LOCKED_REASON


def field_name(question: Question) -> str:
    return f"q_{question.pk}"


def other_name(question: Question) -> str:
    return f"q_{question.pk}_other"


def row_name(question: Question, row) -> str:
    return f"q_{question.pk}_r{row.pk}"


def rank_name(question: Question, choice) -> str:
    return f"q_{question.pk}_c{choice.pk}"


def part_names(question: Question) -> list[str]:
    """The fields of a grid (one per row) or of a ranking (one per item)."""
    if question.kind == Question.Kind.GRID:
        return [row_name(question, row) for row in question.rows.all()]
    if question.kind == Question.Kind.RANKING:
        return [rank_name(question, choice) for choice in question.choices.all()]
    return []


TEXT_FORMATS = {
    Question.TextFormat.POSTCODE: (
        r"^[0-9]{5}$",
        _("Saisissez un code postal de 5 chiffres, par exemple 63000."),
    ),
    Question.TextFormat.PHONE: (
        r"^0[1-9]( ?[0-9]{2}){4}$",
        _("Saisissez un numéro de 10 chiffres commençant par 0, par exemple 04 73 00 00 00."),
    ),
    Question.TextFormat.SIRET: (
        r"^[0-9]{14}$",
        _("Saisissez les 14 chiffres du SIRET, sans espace."),
    ),
}


def _bounds(question: Question, invalid: str, low=None, high=None) -> dict:
    """A number field's bounds (the question's, else ``low``/``high``), with messages
    that give them the French way."""
    if question.number_min is not None:
        low = question.number_min
    if question.number_max is not None:
        high = question.number_max
    shown = {
        "min": "" if low is None else french_number(Decimal(low)),
        "max": "" if high is None else french_number(Decimal(high)),
    }
    if low is not None and high is not None:
        between = _("Saisissez un nombre entre %(min)s et %(max)s.") % shown
        messages = {"min_value": between, "max_value": between}
    else:
        messages = {
            "min_value": _("Saisissez un nombre d'au moins %(min)s.") % shown,
            "max_value": _("Saisissez un nombre d'au plus %(max)s.") % shown,
        }
    return {"min_value": low, "max_value": high,
            "error_messages": {"invalid": invalid, **messages}}  # fmt: skip


def _choices(question: Question) -> list[tuple[str, str]]:
    choices = [(str(c.pk), c.label) for c in question.choices.all()]
    if question.allow_other:
        choices.append((OTHER, _("Autre (précisez)")))
    return choices


def build_field(question: Question) -> forms.Field:
    """The form field of a question; required-ness is checked in the form, because it
    depends on the conditions."""
    common = {"label": question.label, "help_text": question.help_text, "required": False}
    kind = question.kind
    if kind == Question.Kind.SHORT_TEXT:
        validators = []
        if question.text_format in TEXT_FORMATS:
            pattern, message = TEXT_FORMATS[question.text_format]
            validators.append(RegexValidator(pattern, message))
        return forms.CharField(max_length=300, validators=validators, **common)
    if kind == Question.Kind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **common)
    if kind == Question.Kind.INTEGER:
        return forms.IntegerField(
            **_bounds(question, _("Saisissez un nombre entier, par exemple 12."), -(10**9), 10**9),
            **common,
        )
    if kind == Question.Kind.DECIMAL:
        return forms.DecimalField(
            max_digits=14,
            decimal_places=4,
            localize=True,
            **_bounds(question, _("Saisissez un nombre, par exemple 0,5.")),
            **common,
        )
    if kind in Question.PLACED_KINDS:
        # Its parts are fields of their own (part_fields); this one carries the label.
        return forms.CharField(widget=forms.HiddenInput, **common)
    if kind == Question.Kind.SINGLE:
        return forms.ChoiceField(choices=_choices(question), widget=forms.RadioSelect, **common)
    if kind == Question.Kind.SINGLE_LIST:
        return forms.ChoiceField(choices=[("", _("— Choisir —")), *_choices(question)], **common)
    if kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=_choices(question), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Question.Kind.SCALE:
        choices = []
        for value in range(question.scale_min, question.scale_max + 1):
            label = str(value)
            if value == question.scale_min and question.scale_min_label:
                label = f"{value} – {question.scale_min_label}"
            elif value == question.scale_max and question.scale_max_label:
                label = f"{value} – {question.scale_max_label}"
            choices.append((str(value), label))
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, _("oui")), (NO, _("non"))], widget=forms.RadioSelect, **common
        )
    if kind == Question.Kind.DATE:
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": _("Saisissez une date valide, par exemple 03/12/2015.")},
            **common,
        )
    if kind == Question.Kind.EMAIL:
        return forms.EmailField(
            max_length=254,
            error_messages={
                "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")
            },
            **common,
        )
    if kind == Question.Kind.URL:
        return forms.URLField(
            max_length=500,
            assume_scheme="https",
            error_messages={
                "invalid": _("Saisissez une adresse web valide, par exemple https://exemple.fr.")
            },
            **common,
        )
    raise ValueError(f"Unknown question kind {kind}")


def part_fields(question: Question) -> list[tuple[str, forms.Field]]:
    """A grid's fields, one per row on the question's scale; a ranking's, one rank per
    item. Each has its own accessible name."""
    if question.kind == Question.Kind.GRID:
        scale = [(str(c.pk), c.label) for c in question.choices.all()]
        return [
            (
                row_name(question, row),
                forms.ChoiceField(
                    label=row.label, choices=scale, widget=forms.RadioSelect, required=False
                ),
            )
            for row in question.rows.all()
        ]
    if question.kind == Question.Kind.RANKING:
        items = list(question.choices.all())
        ranks = [("", "—")] + [(str(n), str(n)) for n in range(1, len(items) + 1)]
        fields = []
        for choice in items:
            field = forms.ChoiceField(label=choice.label, choices=ranks, required=False)
            field.widget.attrs["aria-label"] = _("Rang de « %(item)s »") % {"item": choice.label}
            fields.append((rank_name(question, choice), field))
        return fields
    return []


def initial_value(question: Question, answer: Answer):
    picked = list(answer.picked.all())
    if question.kind == Question.Kind.GRID:
        return {f"q_{question.pk}_r{p.row_id}": str(p.choice_id) for p in picked if p.row_id}
    if question.kind == Question.Kind.RANKING:
        return {f"q_{question.pk}_c{p.choice_id}": str(p.rank) for p in picked if p.rank}
    if question.kind == Question.Kind.MULTIPLE:
        values = [str(p.choice_id) for p in picked]
        return [*values, OTHER] if answer.other else values
    if question.kind in (Question.Kind.SINGLE, Question.Kind.SINGLE_LIST):
        values = [str(p.choice_id) for p in picked]
        return values[0] if values else (OTHER if answer.other else "")
    if question.kind == Question.Kind.YES_NO:
        return YES if answer.boolean else NO
    if question.kind == Question.Kind.SCALE:
        return str(int(answer.number)) if answer.number is not None else ""
    if question.kind == Question.Kind.INTEGER:
        return int(answer.number) if answer.number is not None else None
    if question.kind == Question.Kind.DECIMAL:
        return answer.number.normalize() if answer.number is not None else None
    if question.kind == Question.Kind.DATE:
        return answer.date
    return answer.text


class SectionForm(forms.Form):
    """One section's questions. With ``enforce_required`` (going forward) the questions
    shown must be answered; saving for later or going back keeps what is valid."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        all_questions: list[Question],
        saved: dict[int, Known],
        answers: dict[int, Answer] | None = None,
        enforce_required: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.all_questions = all_questions
        self.saved = saved
        self.enforce_required = enforce_required
        answers = answers or {}
        for question in questions:
            field = build_field(question)
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            else:
                widget.attrs["class"] = (
                    "form-select" if isinstance(widget, forms.Select) else "form-control"
                )
                if question.required:
                    widget.attrs["aria-required"] = "true"
                if question.help_text:
                    widget.attrs["aria-describedby"] = f"id_{field_name(question)}_help"
            self.fields[field_name(question)] = field
            for name, part in part_fields(question):
                part.widget.attrs["class"] = (
                    "form-check-input" if isinstance(part.widget, forms.RadioSelect)
                    else "form-select form-select-sm"
                )  # fmt: skip
                self.fields[name] = part
            if question.allow_other and question.is_choice:
                other = forms.CharField(
                    label=_("Précisez « Autre »"),
                    max_length=300,
                    required=False,
                    validators=[validate_no_html],
                )
                # Several questions may have one: the accessible name says which.
                other.widget.attrs["aria-label"] = _("Précisez « Autre » : %(question)s") % {
                    "question": question.label
                }
                self.fields[other_name(question)] = other
            answer = answers.get(question.pk)
            if answer is not None and not self.is_bound:
                if question.kind in Question.PLACED_KINDS:
                    self.initial.update(initial_value(question, answer))
                    continue
                self.initial[field_name(question)] = initial_value(question, answer)
                if question.allow_other:
                    self.initial[other_name(question)] = answer.other

    def _known_from_data(self) -> dict[int, Known]:
        """The saved answers, with this page's as typed (conditions read both)."""
        known = dict(self.saved)
        for question in self.questions:
            name = field_name(question)
            if name not in self.cleaned_data:
                continue
            raw = self.cleaned_data.get(name)
            values = raw if isinstance(raw, list) else ([raw] if raw not in (None, "") else [])
            choices, number, boolean = frozenset(), None, None
            if question.kind in Question.PLACED_KINDS:
                parts = self._parts(question)
                values = list(parts.values())
                choices = frozenset(self._placed_choices(question, parts))
            elif question.is_choice:
                choices = frozenset(int(v) for v in values if v and v != OTHER)
            elif question.kind == Question.Kind.YES_NO and values:
                boolean = values[0] == YES
            elif question.is_number and values:
                try:
                    number = Decimal(str(values[0]))
                except (InvalidOperation, ValueError):
                    number = None
            known[question.pk] = Known(choices=choices, number=number, boolean=boolean,
                                       answered=bool(values))  # fmt: skip
        return known

    def _parts(self, question: Question) -> dict[str, str]:
        """A grid's or a ranking's parts that have a value, by field name."""
        return {
            name: self.cleaned_data[name]
            for name in part_names(question)
            if self.cleaned_data.get(name)
        }

    def _placed_choices(self, question: Question, parts: dict[str, str]) -> list[int]:
        if question.kind == Question.Kind.GRID:
            return [int(value) for value in parts.values()]
        prefix = f"q_{question.pk}_c"
        return [int(name.removeprefix(prefix)) for name in parts]

    def _check_placed(self, question: Question) -> None:
        name = field_name(question)
        parts = self._parts(question)
        expected = len(part_names(question))
        if question.kind == Question.Kind.RANKING and parts:
            ranks = sorted(int(rank) for rank in parts.values())
            if len(set(ranks)) != len(ranks):
                self.add_error(name, _("Chaque rang ne sert qu'une fois."))
            elif ranks != list(range(1, len(ranks) + 1)):
                self.add_error(name, _("Classez à partir de 1, sans sauter de rang."))
        if self.enforce_required and question.required and len(parts) < expected:
            self.add_error(
                name,
                _("Classez chaque élément.")
                if question.kind == Question.Kind.RANKING
                else _("Répondez pour chaque ligne."),
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        self.visible = visible_questions(self.all_questions, self._known_from_data())
        for question in self.questions:
            name = field_name(question)
            if name not in cleaned:
                continue  # already in error
            value = cleaned.get(name)
            if question.pk not in self.visible:
                cleaned[name] = [] if question.kind == Question.Kind.MULTIPLE else None
                for part in part_names(question):
                    cleaned[part] = ""
                continue
            if question.kind in Question.PLACED_KINDS:
                self._check_placed(question)
                continue
            picked_other = value == OTHER or (isinstance(value, list) and OTHER in value)
            other_text = (cleaned.get(other_name(question)) or "").strip()
            if picked_other and not other_text:
                self.add_error(other_name(question), _("Précisez votre réponse « Autre »."))
            if question.kind == Question.Kind.MULTIPLE and value:
                count = len(value)
                if question.min_choices and count < question.min_choices:
                    self.add_error(
                        name, _("Cochez au moins %(n)s réponses.") % {"n": question.min_choices}
                    )
                if question.max_choices and count > question.max_choices:
                    self.add_error(
                        name, _("Cochez au plus %(n)s réponses.") % {"n": question.max_choices}
                    )
            if self.enforce_required and question.required and value in (None, "", []):
                self.add_error(name, REQUIRED)
        return cleaned

    def mark_errors(self) -> None:
        """Tie each error to its field for assistive technologies."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{described} id_{name}_errors".strip()

    def values(self) -> dict[int, Value]:
        """The cleaned answers, ready for the service."""
        values = {}
        for question in self.questions:
            raw = self.cleaned_data.get(field_name(question))
            other = (self.cleaned_data.get(other_name(question)) or "").strip()
            value = Value()
            kind = question.kind
            if kind in Question.PLACED_KINDS and question.pk in self.visible:
                parts = self._parts(question)
                if kind == Question.Kind.GRID:
                    prefix = f"q_{question.pk}_r"
                    value.cells = tuple(
                        (int(name.removeprefix(prefix)), int(choice))
                        for name, choice in parts.items()
                    )
                else:
                    prefix = f"q_{question.pk}_c"
                    value.ranks = tuple(
                        (int(name.removeprefix(prefix)), int(rank)) for name, rank in parts.items()
                    )
                values[question.pk] = value
                continue
            if question.pk not in self.visible or raw in (None, "", []):
                values[question.pk] = value
                continue
            if kind == Question.Kind.MULTIPLE:
                value.choices = tuple(int(v) for v in raw if v != OTHER)
                value.other = other if OTHER in raw else ""
            elif kind in (Question.Kind.SINGLE, Question.Kind.SINGLE_LIST):
                if raw == OTHER:
                    value.other = other
                else:
                    value.choices = (int(raw),)
            elif kind == Question.Kind.YES_NO:
                value.boolean = raw == YES
            elif kind in (Question.Kind.INTEGER, Question.Kind.SCALE):
                value.number = Decimal(int(raw))
            elif kind == Question.Kind.DECIMAL:
                value.number = raw
            elif kind == Question.Kind.DATE:
                value.date = raw
            else:
                value.text = raw.strip()
            values[question.pk] = value
        return values


def validate_condition(question: Question) -> None:
    """A condition must point to a choice of an earlier question of the same survey."""
    choice = question.condition_choice
    if choice is None:
        return
    parent = choice.question
    if parent.section.survey_id != question.section.survey_id:
        raise ValidationError(_("La condition doit porter sur une question de la même enquête."))
    order = (
        question.section.position,
        question.section_id,
        question.position,
        question.pk or 10**9,
    )
    parent_order = (parent.section.position, parent.section_id, parent.position, parent.pk)
    if parent_order >= order:
        raise ValidationError(_("La condition doit porter sur une question posée avant celle-ci."))


class RuleForm(forms.ModelForm):
    """One condition: on an earlier question of the same survey, with what it needs (a
    choice of that question, or a number)."""

    class Meta:
        model = Rule
        fields = ["source", "operator", "choice", "number"]

    def __init__(self, *args, owner=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        survey_id = owner.survey_id if isinstance(owner, Section) else (
            owner.section.survey_id if owner is not None and owner.pk else None)  # fmt: skip
        questions = Question.objects.filter(section__survey=survey_id).select_related("section")
        self.fields["source"].queryset = questions
        self.fields["choice"].queryset = Choice.objects.filter(
            question__section__survey=survey_id
        ).select_related("question")
        self.fields["choice"].label_from_instance = lambda c: f"{c.question.code} : {c.label}"
        self.fields["source"].label_from_instance = lambda q: f"{q.code} — {q.label[:60]}"

    def clean(self) -> dict:
        cleaned = super().clean()
        source, op = cleaned.get("source"), cleaned.get("operator")
        choice, number = cleaned.get("choice"), cleaned.get("number")
        if not source or not op or self.owner is None:
            return cleaned
        if isinstance(self.owner, Section):
            earlier = (source.section.position, source.section_id) < (
                self.owner.position, self.owner.pk)  # fmt: skip
        else:
            owner = self.owner
            earlier = (source.section.position, source.section_id, source.position, source.pk) < (
                owner.section.position, owner.section_id, owner.position, owner.pk)  # fmt: skip
        if not earlier:
            self.add_error("source", _("La condition doit porter sur une question posée avant."))
        if op in Rule.CHOICE_OPERATORS:
            if not source.is_choice:
                self.add_error(
                    "operator",
                    _("Cette question n'a pas de choix : choisissez une autre condition."),
                )
            elif choice is None or choice.question_id != source.pk:
                self.add_error("choice", _("Choisissez un choix de la question de la condition."))
        elif op in Rule.NUMBER_OPERATORS:
            if not source.is_number:
                self.add_error("operator", _("Cette question n'attend pas de nombre."))
            elif number is None:
                self.add_error("number", _("Indiquez le nombre à comparer."))
        elif op in (Rule.Operator.YES, Rule.Operator.NO) and source.kind != Question.Kind.YES_NO:
            self.add_error("operator", _("Cette question n'est pas une question oui / non."))
        return cleaned
