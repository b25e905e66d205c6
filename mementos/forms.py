"""The forms of the mementos: the admin's (files checked by content, the workflow's
permission) and the representatives' sign-off."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyMixin, validate_no_html
from core.uploads import MB, PdfValidator, image_resized
from mementos import services
from mementos.models import Memento, MonographReview

MAX_PDF_BYTES = 20 * MB
MAX_COVER_BYTES = 10 * MB
validate_memento_pdf = PdfValidator(MAX_PDF_BYTES)


class MementoAdminForm(forms.ModelForm):
    """The memento as staff edit it. The request's user is set by the admin, so that the
    form refuses a status only publishers may give, whatever the POST says."""

    user = None

    class Meta:
        model = Memento
        fields = [
            "number", "status", "title", "subtitle", "slug", "period", "summary",
            "key_questions", "themes", "lead_partners", "practices", "source_workshops",
            "cover", "cover_alt", "pdf",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "key_questions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status if self.instance.pk else None
            self.fields["status"].choices = services.statuses_for(self.user, current)
        if "pdf" in self.fields:
            self.fields["pdf"].help_text = _("Un vrai PDF, de 20 Mo au plus.")
            self.fields["pdf"].widget.attrs["accept"] = "application/pdf,.pdf"
        if "cover" in self.fields:
            self.fields["cover"].help_text = _(
                "JPEG, PNG ou WebP, 10 Mo au plus ; elle est redimensionnée à 1 600 pixels."
            )
            self.fields["cover"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        old = self.instance.status if self.instance.pk else None
        try:
            services.check_status_change(user=self.user, old=old, new=status)
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error
        return status

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk and self.changed_data:
            # A change to a published memento by an editor waits for a publisher (a
            # draft); what a draft cannot carry stays with those who publish.
            original = Memento.objects.filter(pk=self.instance.pk).only("status").first()
            kept_back = set(self.changed_data) & {"number", "slug", "cover", "pdf"}
            if kept_back and services.needs_draft(user=self.user, memento=original):
                raise ValidationError(
                    _(
                        "Ce mémento est publié : son numéro, son adresse et ses fichiers sont "
                        "changés par les personnes autorisées à publier. Vos autres "
                        "modifications peuvent leur être proposées."
                    )
                )
        if cleaned.get("cover") and not cleaned.get("cover_alt"):
            self.add_error("cover_alt", _("Décrivez la couverture en quelques mots."))
        return cleaned

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and hasattr(pdf, "content_type"):  # a new upload
            validate_memento_pdf(pdf)
        return pdf

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):
            return image_resized(cover, max_bytes=MAX_COVER_BYTES)
        return cover


class ReviewForm(CrispyMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Votre avis"),
        choices=[
            (MonographReview.Decision.APPROVED, _("J'approuve cette monographie")),
            (MonographReview.Decision.COMMENTED, _("Je demande des changements")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_no_html],
        help_text=_("Obligatoire si vous demandez des changements : dites lesquels."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("decision") == MonographReview.Decision.COMMENTED
            and "comment" not in self.errors  # a comment refused says why already
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Dites ce qu'il faut changer."))
        return cleaned
