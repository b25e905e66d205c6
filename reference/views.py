"""The place autocomplete: names, INSEE codes and postcodes."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reference.places import place_suggestions


@require_GET
@cache_control(public=True, max_age=3600)
def place_autocomplete(request: HttpRequest) -> JsonResponse:
    """Places matching the typed text; each label, sent back as typed, names exactly one
    place."""
    return JsonResponse(
        {
            "results": [
                {"label": place.label, "kind": place.kind, "code": place.code}
                for place in place_suggestions(request.GET.get("q"))
            ]
        }
    )
