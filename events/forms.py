"""Forms of the calendar: they validate, the services write."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import CrispyMixin, validate_no_html
from core.uploads import MB, PdfValidator
from events.models import Proposal, Workshop
from events.selectors import Slot
from reference.models import Theme

MAX_PDF_BYTES = 5 * MB


class RegistrationForm(CrispyMixin, forms.Form):
    """Who registers, and at most one workshop per time slot."""

    full_name = forms.CharField(
        label=_("Nom et prénom"), max_length=200, validators=[validate_no_html]
    )
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    structure_name = forms.CharField(
        label=_("Structure (facultatif)"),
        max_length=200,
        required=False,
        validators=[validate_no_html],
    )
    accessibility_needs = forms.CharField(
        label=_("Besoins d'accessibilité (facultatif)"),
        max_length=500,
        required=False,
        help_text=_("Mobilité, audition, vue… pour que l'accueil soit adapté."),
        widget=forms.TextInput,
    )
    dietary_needs = forms.CharField(
        label=_("Régime alimentaire (facultatif)"),
        max_length=300,
        required=False,
        help_text=_("Végétarien, sans gluten, allergies…"),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ces informations servent à organiser l'événement ; elles sont "
            "effacées dans l'année qui suit."
        ),
        error_messages={"required": _("Votre accord est nécessaire pour vous inscrire.")},
    )

    def __init__(self, *args, slots: list[Slot], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        self.slot_fields = []
        for number, slot in enumerate(slots, start=1):
            name = f"slot_{number}"
            choices = [("", _("Aucun atelier sur ce créneau"))]
            for workshop in slot.workshops:
                if workshop.left > 0:
                    seats = ngettext(
                        "%(count)s place restante", "%(count)s places restantes", workshop.left
                    ) % {"count": workshop.left}
                else:
                    seats = _("Complet — liste d'attente")
                choices.append((str(workshop.pk), f"{workshop.title} ({seats})"))
            start = formats.date_format(timezone.localtime(slot.starts_at), "l j F, H\\hi")
            end = formats.time_format(timezone.localtime(slot.ends_at), "H\\hi")
            self.fields[name] = forms.ChoiceField(
                label=_("Atelier du %(start)s à %(end)s") % {"start": start, "end": end},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.slot_fields.append(name)

    def chosen_workshops(self) -> list[Workshop]:
        by_id = {str(w.pk): w for slot in self.slots for w in slot.workshops}
        return [
            by_id[self.cleaned_data[name]]
            for name in self.slot_fields
            if self.cleaned_data.get(name)
        ]


validate_pdf = PdfValidator(MAX_PDF_BYTES)


class ProposalForm(CrispyMixin, forms.ModelForm):
    document = forms.FileField(
        label=_("Document (PDF, 5 Mo au plus, facultatif)"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Proposal
        fields = ["title", "summary", "workshop", "theme", "contributors", "document"]
        labels = {
            "title": _("Titre de la contribution"),
            "summary": _("Résumé"),
            "workshop": _("Atelier visé (facultatif)"),
            "theme": _("Ou thème (facultatif)"),
            "contributors": _("Intervenants (facultatif)"),
        }
        help_texts = {
            "summary": _("Ce que vous proposez d'apporter à l'atelier, en quelques lignes."),
            "contributors": _("Noms et structures des personnes qui interviendront."),
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(validate_no_html)
        self.fields["contributors"].validators.append(validate_no_html)
        self.fields["workshop"].queryset = event.workshops.order_by("starts_at", "title")
        self.fields["theme"].queryset = Theme.objects.all()
