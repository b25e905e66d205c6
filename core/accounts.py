"""What every app may ask of a person's account (kept by django-allauth): is their
address confirmed, and the guard of the actions that need it."""

from functools import wraps

from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
)
from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

__all__ = ["has_verified_email", "verified_email_required", "VerifiedEmailRequiredMixin"]


def has_verified_email(user) -> bool:
    """True when the person has confirmed their address by following the emailed link."""
    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def verified_email_required(view):
    """For signed-in people with a confirmed address. The others get a 403 page that
    says why, and the link again (at most one email every few minutes: allauth's
    ``confirm_email`` rate limit)."""

    @wraps(view)
    @login_required
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not has_verified_email(request.user):
            send_verification_email_for_user(request, request.user)
            return render(request, "account/verified_email_required.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


class VerifiedEmailRequiredMixin:
    """``verified_email_required`` for a class-based view."""

    @method_decorator(verified_email_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)
