from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BaseForm, BaseModelForm, CrispyMixin, PlainTextField
from core.mail import emails_enqueue
from interclusters.models import User, UserManager


class SignUpForm(BaseForm):
    first_name = PlainTextField(label=_("Prénom"), max_length=150)
    last_name = PlainTextField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Elle vous servira d'identifiant pour vous connecter."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = PlainTextField(
        label=_("Structure (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Cluster, pôle, territoire ou entreprise pour laquelle vous travaillez."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres, pas trop courant."),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou "
                    "réinitialisez votre mot de passe."
                ),
                code="duplicate",
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password1:
            candidate = User(
                email=cleaned.get("email") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(CrispyMixin, auth_forms.AuthenticationForm):
    """Sign-in by email address, whatever its case."""

    username = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, puis réessayez."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    def clean_username(self) -> str:
        return UserManager.normalize_email(self.cleaned_data["username"])


class ProfileForm(BaseModelForm):
    first_name = PlainTextField(label=_("Prénom"), max_length=150)
    last_name = PlainTextField(label=_("Nom"), max_length=150)
    organisation_name = PlainTextField(
        label=_("Structure (facultatif)"), max_length=200, required=False
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "organisation_name"]
        labels = {"email": _("Adresse e-mail")}

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Un autre compte utilise déjà cette adresse e-mail."))
        return email


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None) -> None:  # fmt: skip
        """Through the outbox, as every email of the portal (emails/password_reset*)."""
        emails_enqueue(
            template="password_reset",
            context=context,
            to=[to_email],
            topic=f"password-reset:{context['user'].pk}",
        )


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    pass


class AccountDeleteForm(BaseForm):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte sera supprimé définitivement."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password
