from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interclusters import services
from interclusters.models import User


class MemberAddForm(forms.ModelForm):
    """The team adds a person by name and address; they choose their own password."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "organisation_name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "organisation_name",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "organisation_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "organisation_name"]}),
        (
            _("Droits"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_form = MemberAddForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "organisation_name"],
                "description": _(
                    "La personne reçoit un e-mail pour choisir son mot de passe ; le suivre "
                    "confirme aussi son adresse."
                ),
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["invite"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.member_create_by_staff(user=obj)

    @admin.action(description=_("Envoyer un lien pour choisir le mot de passe"))
    def invite(self, request, queryset) -> None:
        for user in queryset:
            services.member_invite(user=user)
        self.message_user(
            request,
            ngettext("%(count)d lien envoyé.", "%(count)d liens envoyés.", len(queryset))
            % {"count": len(queryset)},
        )
