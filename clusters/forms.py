"""Forms of the directory: they validate, the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from clusters.models import DirectoryEntry, Practice, PracticePartner
from clusters.services import PartnerInput
from core.forms import CrispyMixin, validate_no_html
from core.search import Unaccented, plain
from reference.models import FundingMeasure, Theme

MAX_LINKS = 10
CURRENT_YEAR_MAX = 2100


class PracticeProposalForm(CrispyMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un thème.")},
    )
    funding_measures = forms.ModelMultipleChoiceField(
        label=_("Mesures FEADER mobilisées (facultatif)"),
        queryset=FundingMeasure.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    links = forms.CharField(
        label=_("Liens (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Un lien par ligne : l'adresse, éventuellement suivie d'un intitulé après une "
            "espace. Par exemple : https://exemple.fr Le site du projet"
        ),
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "summary",
            "kind",
            "themes",
            "body",
            "rural_contribution",
            "urban_contribution",
            "start_year",
            "end_year",
            "status",
            "funding_measures",
            "funding",
            "results",
            "success_factors",
            "pitfalls",
        ]
        labels = {
            "title": _("Titre de la pratique"),
            "summary": _("Résumé"),
            "body": _("Description (facultatif)"),
            "rural_contribution": _("Ce qu'apporte le côté rural (facultatif)"),
            "urban_contribution": _("Ce qu'apporte le côté urbain (facultatif)"),
            "start_year": _("Année de début (facultatif)"),
            "end_year": _("Année de fin (facultatif)"),
            "funding": _("Financement (facultatif)"),
            "results": _("Résultats (facultatif)"),
            "success_factors": _("Facteurs de réussite (facultatif)"),
            "pitfalls": _("Écueils à éviter (facultatif)"),
        }
        help_texts = {
            "summary": _("En deux ou trois phrases : qui fait quoi, où, avec qui."),
            "body": _(
                "Le contexte, les actions, les moyens. Mise en forme Markdown acceptée : "
                "**gras**, listes, liens."
            ),
            "funding": _("Montants et sources : FEADER, Région, fonds propres…"),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "rural_contribution": forms.Textarea(attrs={"rows": 3}),
            "urban_contribution": forms.Textarea(attrs={"rows": 3}),
            "funding": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "success_factors": forms.Textarea(attrs={"rows": 3}),
            "pitfalls": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(validate_no_html)
        for name in ("start_year", "end_year"):
            self.fields[name].min_value = 1990
            self.fields[name].max_value = CURRENT_YEAR_MAX
            self.fields[name].widget.attrs.update({"min": 1990, "max": CURRENT_YEAR_MAX})
            self.fields[name].validators = [
                *self.fields[name].validators,
                *forms.IntegerField(min_value=1990, max_value=CURRENT_YEAR_MAX).validators,
            ]

    def clean_links(self) -> list[tuple[str, str]]:
        links = []
        validate = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            url, _sep, label = line.partition(" ")
            try:
                validate(url)
            except ValidationError as error:
                raise ValidationError(
                    _("Ligne %(number)s : « %(url)s » n'est pas une adresse web valide."),
                    params={"number": number, "url": url[:80]},
                ) from error
            links.append((label.strip()[:200] or url[:200], url))
        if len(links) > MAX_LINKS:
            raise ValidationError(_("%(max)s liens au plus.") % {"max": MAX_LINKS})
        return links

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("L'année de fin précède l'année de début."))
        return cleaned


class PartnerForm(forms.Form):
    """One partner: a directory entry found by its name (the autocomplete fills the
    hidden id), or a name alone for a partner not listed."""

    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Nom de la structure ou du territoire"),
        max_length=200,
        required=False,
        validators=[validate_no_html],
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-partner-name": ""}),
    )
    role = forms.ChoiceField(
        label=_("Rôle"), choices=PracticePartner.Role.choices, initial=PracticePartner.Role.PARTNER
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        entry_id = cleaned.get("entry")
        entry = None
        if entry_id:
            entry = DirectoryEntry.objects.published().filter(pk=entry_id).first()
        if entry is None and name:
            # Without the autocomplete (no JavaScript), an exact name still finds its entry.
            matches = list(
                DirectoryEntry.objects.published()
                .annotate(plain_name=Unaccented("name"))
                .filter(plain_name__iexact=plain(name))[:2]
            )
            entry = matches[0] if len(matches) == 1 else None
        cleaned["resolved_entry"] = entry
        cleaned["empty"] = entry is None and not name
        return cleaned

    def to_input(self) -> PartnerInput | None:
        data = self.cleaned_data
        if data.get("empty", True):
            return None
        return PartnerInput(role=data["role"], entry=data["resolved_entry"], name=data["name"])


class BasePartnerFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        partners = [form.to_input() for form in self.forms if form.cleaned_data]
        partners = [p for p in partners if p]
        if not partners:
            raise ValidationError(_("Indiquez au moins un partenaire : le chef de file."))
        if not any(p.role == PracticePartner.Role.LEAD for p in partners):
            raise ValidationError(_("Indiquez quel partenaire est le chef de file."))
        if sum(p.role == PracticePartner.Role.LEAD for p in partners) > 1:
            raise ValidationError(_("Un seul chef de file par pratique."))
        self.partners = partners


PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=BasePartnerFormSet, extra=4, max_num=20, validate_max=True
)


class EntryChangeForm(CrispyMixin, forms.Form):
    """What a representative may change on their entry; staff approve it first."""

    name = forms.CharField(
        label=_("Nom de la structure ou du territoire"),
        max_length=200,
        validators=[validate_no_html],
    )
    acronym = forms.CharField(
        label=_("Sigle (facultatif)"), max_length=40, required=False, validators=[validate_no_html]
    )
    description = forms.CharField(
        label=_("Présentation (facultatif)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    website = forms.URLField(
        label=_("Site web (facultatif)"), required=False, assume_scheme="https"
    )
    email = forms.EmailField(label=_("E-mail de contact (facultatif)"), required=False)
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=30,
        required=False,
        validators=[validate_no_html],
    )
    address = forms.CharField(
        label=_("Adresse (facultatif)"),
        max_length=250,
        required=False,
        validators=[validate_no_html],
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def change_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "themes"}
        data["themes"] = sorted(theme.slug for theme in self.cleaned_data["themes"])
        return data


class EntryContactForm(CrispyMixin, forms.Form):
    """A member's message to a structure, sent by the portal."""

    subject = forms.CharField(
        label=_("Objet"), max_length=150, validators=[validate_no_html],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    message = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Présentez-vous et dites pourquoi vous écrivez. La structure reçoit votre nom, "
            "votre adresse e-mail pour vous répondre, et ce message ; vous en recevez une copie."
        ),
    )


class MapViewForm(forms.Form):
    """The view a map asks its data for: its zoom, and its bounds as « ouest,sud,est,nord »
    in degrees (the map's own query parameters, beside the directory's filters)."""

    zoom = forms.IntegerField(label=_("zoom"), required=False, min_value=0, max_value=20)
    bbox = forms.CharField(label=_("emprise"), required=False, max_length=120)

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        raw = self.cleaned_data["bbox"].strip()
        if not raw:
            return None
        message = _("Emprise attendue : ouest,sud,est,nord en degrés (par exemple -5,41,10,51).")
        try:  # four numbers, or unpacking fails too
            west, south, east, north = (float(part) for part in raw.split(","))
        except ValueError:
            raise ValidationError(message, code="invalid") from None
        # Comparisons also turn away nan and infinities.
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise ValidationError(message, code="invalid")
        return west, south, east, north
