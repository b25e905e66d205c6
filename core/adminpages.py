"""Pages of the admin that the apps' actions share."""

from django.http import HttpRequest
from django.template.response import TemplateResponse


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
