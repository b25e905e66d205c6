"""The directory's cards (structures and territories, practices), written from Python.

Twenty cards on every list page cost 13–15 ms through templates; these tags write the
same markup several times faster. Each takes an object loaded with what the card shows,
as the list views load it: the commune and department of an entry, the partners of a
practice as ``card_partners`` (``clusters.selectors.attach_card_partners``). Themes come
from the row's copy of its theme ids and the themes this process keeps: no query.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from reference.selectors import themes_of

register = template.Library()


def _themes(themes) -> SafeString:
    if not themes:
        return SafeString("")
    return format_html(
        '<ul class="list-inline mb-0" aria-label="{}">{}</ul>',
        gettext("Thèmes"),
        format_html_join(
            "", '<li class="list-inline-item"><span class="tag">{}</span></li>',
            ((theme.name,) for theme in themes),
        ),
    )  # fmt: skip


@register.simple_tag
def practice_card(practice) -> SafeString:
    eyebrow = [practice.get_kind_display()]
    if practice.years_display:
        eyebrow.append(practice.years_display)
    eyebrow.append(practice.get_status_display())
    partners = practice.card_partners  # (role, name), the lead first
    notes = []
    if practice.rural_urban:
        notes.append(format_html(
            '<span class="tag tag-wheat">{}</span>', gettext("Coopération rural–urbain")
        ))  # fmt: skip
    for role, name in partners:
        if role == "lead":
            notes.append(format_html(
                '<span class="text-muted">{}</span> {}', gettext("Chef de file :"), name
            ))  # fmt: skip
    if len(partners) > 1:
        others = len(partners) - 1
        notes.append(format_html(
            '<span class="text-muted"> · {}</span>',
            ngettext("%(counter)s partenaire", "%(counter)s partenaires", others)
            % {"counter": others},
        ))  # fmt: skip
    return format_html(
        '<article class="practice-card surface mb-3"><p class="eyebrow mb-1">{}</p>'
        '<h3 class="h5 mb-2"><a href="{}">{}</a></h3><p class="mb-2">{}</p>'
        '<p class="small mb-2">{}</p>{}</article>',
        " · ".join(str(part) for part in eyebrow),
        practice.get_absolute_url(),
        practice.title,
        truncatewords(practice.summary, 40),
        SafeString(" ".join(notes)),
        _themes(themes_of(practice.theme_ids)),
    )


@register.simple_tag
def entry_card(entry) -> SafeString:
    place = ""
    if entry.commune_id:
        place = f"{entry.commune.name} ({entry.commune.department_code})"
    elif entry.department_id:
        place = str(entry.department)
    distance = getattr(entry, "distance_km", None)
    if distance is not None and distance >= 0.5:
        place += " · " + gettext("à %(km)s km") % {"km": f"{distance:.0f}"}
    acronym = ""
    if entry.acronym:
        acronym = format_html(' <span class="text-muted fw-normal">({})</span>', entry.acronym)
    side = ""
    if entry.setting:
        side = format_html(
            '<span class="tag tag-{}">{}</span>', entry.setting,
            capfirst(entry.get_setting_display()),
        )  # fmt: skip
    count = getattr(entry, "published_practice_count", 0)
    if count:
        side += format_html(
            '<p class="small mb-0 mt-1">{}</p>',
            ngettext("%(counter)s pratique", "%(counter)s pratiques", count) % {"counter": count},
        )
    description = ""
    if entry.description:
        description = format_html('<p class="mb-2">{}</p>', truncatewords(entry.description, 30))
    return format_html(
        '<article class="entry-card surface mb-3"><div class="d-flex flex-wrap '
        'justify-content-between gap-2"><div><p class="eyebrow mb-1">{}</p>'
        '<h3 class="h5 mb-1"><a href="{}">{}</a>{}</h3><p class="mb-2 text-muted small">{}</p>'
        '</div><div class="text-end">{}</div></div>{}{}</article>',
        entry.get_kind_display(),
        entry.get_absolute_url(),
        entry.name,
        acronym,
        place,
        side,
        description,
        _themes(themes_of(entry.theme_ids)),
    )


@register.simple_tag
def map_list_item(entry) -> SafeString:
    """One line of the list below the map: the entry, its kind, setting, commune and,
    around a commune, its distance."""
    details = [str(entry.get_kind_display())]
    if entry.setting:
        details.append(str(entry.get_setting_display()))
    if entry.commune_id:
        details.append(entry.commune.name)
    distance = getattr(entry, "distance_km", None)
    if distance is not None and distance >= 0.5:
        details.append(gettext("à %(km)s km") % {"km": f"{distance:.0f}"})
    return format_html(
        '<li class="py-1 border-bottom"><a href="{}">{}</a> <span class="small text-muted">'
        "{}</span></li>",
        entry.get_absolute_url(),
        entry.name,
        " · ".join(details),
    )


# --- The lists of a structure's or territory's page -----------------------------------


@register.simple_tag
def entry_practice_item(row) -> SafeString:
    """A practice the entry leads or joins (a ``PracticePartner`` with its practice):
    its role, title and summary."""
    practice = row.practice
    return format_html(
        '<li class="surface mb-2"><span class="tag {}">{}</span> '
        '<a class="fw-semibold ms-1" href="{}">{}</a>'
        '<p class="mb-0 small text-muted">{}</p></li>',
        "tag-wheat" if row.role == "lead" else "",
        capfirst(row.get_role_display()),
        practice.get_absolute_url(),
        practice.title,
        truncatewords(practice.summary, 25),
    )


@register.simple_tag
def entry_partner_item(partner) -> SafeString:
    """An entry this one works with, and in how many practices (``shared``)."""
    details = [str(partner.get_kind_display())]
    if partner.setting:
        details.append(str(partner.get_setting_display()))
    details.append(
        ngettext("%(counter)s pratique commune", "%(counter)s pratiques communes", partner.shared)
        % {"counter": partner.shared}
    )
    return format_html(
        '<li class="col-md-6"><div class="surface h-100 py-2"><a href="{}">{}</a>'
        '<span class="small text-muted d-block">{}</span></div></li>',
        partner.get_absolute_url(),
        partner.name,
        " · ".join(details),
    )


@register.simple_tag
def potential_partner_item(suggestion) -> SafeString:
    """A potential partner (``clusters.selectors.PotentialPartner``): its side of the
    divide, the themes in common and, where both have a point, the distance."""
    entry, themes = suggestion.entry, suggestion.common_themes
    reason = ngettext(
        "%(counter)s thème en commun :", "%(counter)s thèmes en commun :", len(themes)
    ) % {"counter": len(themes)}
    reason += " " + ", ".join(theme.name.lower() for theme in themes)
    if suggestion.distance_km is not None:
        reason += f" · {intcomma(suggestion.distance_km)} km"
    return format_html(
        '<li class="surface mb-2 py-2"><a class="fw-semibold" href="{}">{}</a> '
        '<span class="tag tag-{} ms-1">{}</span><p class="mb-0 small">{}</p></li>',
        entry.get_absolute_url(),
        entry.name,
        entry.setting,
        capfirst(entry.get_setting_display()),
        reason,
    )
