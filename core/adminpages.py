"""Pages of the admin that the apps share: a page in the admin's frame, and the page
between choosing an action and applying it, where staff give a reason, a message or a
choice."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def batch_progress_redirect(batch) -> HttpResponseRedirect:
    """To the progress page of a bulk send (core.admin)."""
    return HttpResponseRedirect(reverse("admin:core_emailbatch_progress", args=[batch.pk]))


def admin_page(request: HttpRequest, modeladmin, template: str, **context) -> TemplateResponse:
    """A page in the admin's frame, for ``modeladmin``'s model."""
    return TemplateResponse(
        request,
        template,
        {**modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta, **context},
    )


def intermediate_page(
    request: HttpRequest, modeladmin, *, title: str, form, objects, button: str, action: str = ""
) -> TemplateResponse:
    """The page between choosing an admin action and applying it: the objects concerned
    and a form (a reason, a message, a choice). Without ``action`` it posts back to the
    page it is on (a button of a change page rather than an action of the list)."""
    return admin_page(
        request,
        modeladmin,
        "admin/intermediate_form.html",
        title=title,
        form=form,
        objects=objects,
        action=action,
        button=button,
        ids=[obj.pk for obj in objects],
    )


REASON_LABEL = _("Motif, envoyé par e-mail à l'auteur")
REASON_REQUIRED = _("Indiquez le motif : il est envoyé à l'auteur.")


def reason_form(
    label=REASON_LABEL, *, required: bool = True, required_message=REASON_REQUIRED
) -> type[forms.Form]:
    """A form asking for the reason (or note) that goes to the author of what is decided."""
    return type(
        "ReasonForm",
        (forms.Form,),
        {
            "reason": forms.CharField(
                label=label,
                required=required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
                error_messages={"required": required_message},
            )
        },
    )


ReasonForm = reason_form()


def asking_action(
    *,
    name: str,
    description,
    form_class: type[forms.Form],
    title,
    button,
    apply: Callable[[HttpRequest, list, dict], str | HttpResponse],
    form_kwargs: Callable[[HttpRequest, object], dict] | None = None,
    permissions: list[str] | None = None,
):
    """An admin action that first asks something about the selected objects (a reason, a
    message, a survey, themes), then hands the objects and the form's cleaned data to
    ``apply(request, objects, data)``, which calls the services and returns the message
    shown (or a page to go to, such as a bulk send's progress). A form with errors is
    shown again with what was typed."""

    def action(modeladmin, request: HttpRequest, queryset):
        extra = form_kwargs(request, queryset) if form_kwargs else {}
        if "apply" in request.POST:
            form = form_class(request.POST, **extra)
            if form.is_valid():
                message = apply(request, list(queryset), form.cleaned_data)
                if isinstance(message, HttpResponse):
                    return message
                if message:
                    modeladmin.message_user(request, message, messages.SUCCESS)
                return None
        else:
            form = form_class(**extra)
        return intermediate_page(
            request,
            modeladmin,
            title=title,
            form=form,
            objects=list(queryset),
            action=name,
            button=button,
        )

    action.__name__ = name
    return admin.action(description=description, permissions=permissions)(action)
