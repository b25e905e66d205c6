"""Work the worker does for the site-wide features."""

from django.tasks import task

from core.scheduler import scheduled
from interclusters import services


@scheduled("0 7 * * *")
@task
def send_alert_digests() -> int:
    """Every morning at 07:00: each alert that is due (daily ones every day, weekly ones a
    week after their last digest) emails what is new in its search since then."""
    return services.alert_digests_send()
