"""iCalendar files of the calendar: times in Europe/Paris with their VTIMEZONE, so that
a workshop at 14:00 stays at 14:00 in any calendar, winter and summer."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

PARIS = ZoneInfo("Europe/Paris")


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _location(event) -> str:
    parts = [event.venue, event.address]
    if event.commune_id:
        parts.append(event.commune.name)
    place = ", ".join(p for p in parts if p)
    return place or event.online_url


def event_calendar(events, *, workshops: dict[int, list] | None = None) -> bytes:
    """A calendar with one VEVENT per event and one per workshop given for it. It is
    published (METHOD:PUBLISH), as its email attachments declare."""
    calendar = Calendar()
    calendar.add("prodid", "-//Interclusters//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Interclusters — agenda")
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", f"event-{event.pk}@interclusters")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at.astimezone(PARIS))
        item.add("dtend", event.ends_at.astimezone(PARIS))
        item.add("summary", event.title)
        item.add("description", f"{event.summary}\n\n{_url(event.get_absolute_url())}")
        item.add("url", _url(event.get_absolute_url()))
        location = _location(event)
        if location:
            item.add("location", location)
        if event.latitude is not None and event.longitude is not None:
            item.add("geo", (event.latitude, event.longitude))
        calendar.add_component(item)
        for workshop in (workshops or {}).get(event.pk, []):
            part = VEvent()
            part.add("uid", f"workshop-{workshop.pk}@interclusters")
            part.add("dtstamp", stamp)
            part.add("dtstart", workshop.starts_at.astimezone(PARIS))
            part.add("dtend", workshop.ends_at.astimezone(PARIS))
            part.add("summary", f"{workshop.title} — {event.title}")
            where = ", ".join(p for p in (workshop.room, location) if p)
            if where:
                part.add("location", where)
            part.add("url", _url(event.get_absolute_url()))
            calendar.add_component(part)
    calendar.add_missing_timezones()
    return calendar.to_ical()
