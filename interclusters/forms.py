from allauth.account import forms as allauth_forms
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.models import DirectoryEntry
from core.forms import BaseForm, BaseModelForm, PlainTextField
from interclusters.accounts import attempts_left_message
from interclusters.models import SavedSearch, User


class SignUpForm(allauth_forms.SignupForm):
    """django-allauth's sign-up (email, password twice) with the person's name and,
    if they wish, their structure."""

    first_name = PlainTextField(label=_("Prénom"), max_length=150)
    last_name = PlainTextField(label=_("Nom"), max_length=150)
    organisation_name = PlainTextField(
        label=_("Structure (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Cluster, pôle, territoire ou entreprise pour laquelle vous travaillez."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    field_order = ["first_name", "last_name", "email", "organisation_name", "password1",
                   "password2"]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].help_text = _(
            "Elle vous servira d'identifiant. Vous recevrez un lien pour la confirmer."
        )
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].help_text = _(
            "Au moins 10 caractères, pas uniquement des chiffres, pas trop courant."
        )
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)


class SignInForm(allauth_forms.LoginForm):
    """Sign-in by email address; a wrong password says how many attempts are left."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse e-mail")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autofocus"] = True
        self.fields["password"].widget.attrs.pop("placeholder", None)

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError as error:
            left = getattr(self.request, "login_attempts_left", None)
            if left is None or getattr(self.request, "account_locked", False):
                raise
            raise ValidationError([*error.messages, attempts_left_message(left)]) from None


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].widget.attrs.pop("placeholder", None)


class AddSecurityKeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Nom de la clé")
        self.fields["name"].help_text = _("Pour la reconnaître, par exemple « Clé du bureau ».")


class ProfileForm(BaseModelForm):
    first_name = PlainTextField(label=_("Prénom"), max_length=150)
    last_name = PlainTextField(label=_("Nom"), max_length=150)
    organisation_name = PlainTextField(
        label=_("Structure (facultatif)"), max_length=200, required=False
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "organisation_name"]


class AccountDeleteForm(BaseForm):
    """The person has just proved their password (or second factor) again: they only
    confirm."""

    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte sera supprimé définitivement."),
    )


class AlertForm(BaseForm):
    """Save the current search as an alert (from the list pages and a structure's page)."""

    kind = forms.ChoiceField(choices=SavedSearch.Kind.choices, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    entry = forms.ModelChoiceField(
        queryset=DirectoryEntry.objects.all(), required=False, widget=forms.HiddenInput,
        to_field_name="slug",
    )  # fmt: skip
    name = PlainTextField(label=_("Nom de l'alerte"), max_length=120)
    frequency = forms.ChoiceField(
        label=_("Recevoir les nouveautés"),
        choices=SavedSearch.Frequency.choices,
        initial=SavedSearch.Frequency.WEEKLY,
    )


class AlertEditForm(BaseModelForm):
    name = PlainTextField(label=_("Nom de l'alerte"), max_length=120)

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
        labels = {"frequency": _("Recevoir les nouveautés")}
