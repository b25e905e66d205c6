from django.conf import settings

from interclusters.selectors import demo_data_loaded


def site(request) -> dict:
    return {
        "demo_data_loaded": demo_data_loaded(),
        "legal_host": settings.LEGAL_HOST,
        "map_tile_url": settings.MAP_TILE_URL,
    }
