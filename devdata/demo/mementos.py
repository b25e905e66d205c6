"""Demo content of the mementos: the four mementos of mementos/data.py, the programme's
partners as directory entries, a cover and a PDF for the published ones (drawn here), the
case studies linked to the demo practices, one case study waiting for its structure's
sign-off. Idempotent: a memento that exists is left as it is."""

import io
from datetime import datetime

import reversion
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from clusters import services as directory_services
from clusters.models import Category, DirectoryEntry, Practice
from core.search import plain
from devdata.data import load
from events.models import Workshop
from mementos import services
from mementos.models import Memento, Monograph, Section
from reference.models import Commune, Theme

DATA = load("mementos")
COVER_COLOURS = {1: ("#17594a", "#e9b949"), 2: ("#2c4a7a", "#f3efe6")}


@transaction.atomic
def mementos_demo_load(*, people: dict) -> int:
    partners = _partners()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    practices = {p.slug: p for p in Practice.objects.published().exclude(slug__startswith="scale-")}
    entries = {e.slug: e for e in DirectoryEntry.objects.exclude(slug__startswith="scale-")}
    created = 0
    for definition in DATA["mementos"]:
        if Memento.objects.filter(number=definition["number"]).exists():
            continue
        with reversion.create_revision():
            memento = _memento(definition, partners, themes, practices, entries)
            reversion.set_comment("Mémento de démonstration.")
        services.memento_index(memento)
        created += 1
    # The demo representative's structure is described in a case study of n°1, sent to
    # them for sign-off.
    monograph = Monograph.objects.filter(entry__slug="fablab-ambert").first()
    representative = people.get("representant")
    if monograph and representative and monograph.sign_off == Monograph.SignOff.NOT_REQUESTED:
        from clusters.models import Membership

        Membership.objects.get_or_create(
            user=representative,
            entry=monograph.entry,
            defaults={"role": Membership.Role.REPRESENTATIVE},
        )
        services.sign_off_request(monograph=monograph, user=people.get("editrice"), notify=False)
    return created


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _partners() -> dict[str, DirectoryEntry]:
    partners = {}
    for key, row in DATA["partners"].items():
        entry = DirectoryEntry.objects.filter(slug=key).first()
        if entry is None:
            entry = directory_services.entry_save(
                entry=DirectoryEntry(
                    category=Category.STRUCTURE, slug=key, name=row["name"], kind=row["kind"],
                    commune=Commune.objects.filter(code=row["commune"]).first(),
                    setting="urban", website=row["website"], published=True,
                    description="Partenaire du programme inter clusters.",
                ),
                themes=[],
            )  # fmt: skip
        partners[key] = entry
    return partners


def _memento(definition, partners, themes, practices, entries) -> Memento:
    memento = Memento.objects.create(
        number=definition["number"],
        slug=definition["slug"],
        title=definition["title"],
        subtitle=definition["subtitle"],
        period=definition["period"],
        summary=definition["summary"],
        key_questions="\n".join(definition["key_questions"]),
        status=definition["status"],
        published_at=_when(definition["published_at"]),
    )
    memento.lead_partners.set([partners[key] for key in definition["partners"]])
    memento.themes.set([themes[slug] for slug in definition["themes"] if slug in themes])
    memento.practices.set([practices[s] for s in definition["practices"] if s in practices])
    memento.source_workshops.set(
        Workshop.objects.filter(title__in=definition["workshops"], event__starts_at__year=2015)
    )
    for position, (title, body) in enumerate(definition["sections"], start=1):
        Section.objects.create(memento=memento, title=title, body=body, position=position)
    for position, case in enumerate(definition["monographs"], start=1):
        monograph = Monograph.objects.create(
            memento=memento,
            position=position,
            slug=slugify(case["title"])[:200],
            entry=entries.get(case["entry"]),
            **{
                key: case[key]
                for key in (
                    "title", "summary", "context", "actions", "staff_time", "funding",
                    "results", "success_factors", "pitfalls", "contacts",
                )
            },
        )  # fmt: skip
        monograph.practices.set([practices[s] for s in case["practices"] if s in practices])
    if memento.status == Memento.Status.PUBLISHED:
        memento.cover.save(f"{memento.slug}.jpg", ContentFile(cover_image(memento)), save=False)
        memento.cover_alt = f"Couverture du mémento n°{memento.number} : {memento.title}"
        pdf = memento_pdf_bytes(memento, definition)
        memento.pdf.save(f"{memento.slug}.pdf", ContentFile(pdf), save=False)
        memento.pdf_size = len(pdf)
        memento.save()
    return memento


def cover_image(memento: Memento) -> bytes:
    """A plain cover in the programme's colours: the number, the title, two rings."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    background, accent = COVER_COLOURS.get(memento.number, ("#17594a", "#e9b949"))
    image = Image.new("RGB", (640, 904), background)
    draw = ImageDraw.Draw(image)
    try:  # a font with accents when the system has one, else Pillow's own, accents removed
        small = ImageFont.truetype("DejaVuSans-Bold.ttf", 28)
        large = ImageFont.truetype("DejaVuSans.ttf", 36)
        spell = str
    except OSError:
        small, large = ImageFont.load_default(size=30), ImageFont.load_default(size=40)
        spell = plain
    draw.text((48, 64), spell(f"MÉMENTO N°{memento.number}"), fill=accent, font=small)
    draw.rectangle((48, 120, 592, 126), fill=accent)
    lines = textwrap.wrap(memento.title, width=24)[:8]
    for index, line in enumerate(lines):
        draw.text((48, 170 + index * 54), spell(line), fill="#f3efe6", font=large)
    draw.ellipse((430, 660, 600, 830), outline=accent, width=10)
    draw.ellipse((330, 660, 500, 830), outline="#f3efe6", width=10)
    draw.text((48, 840), "Interclusters", fill="#f3efe6", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def memento_pdf_bytes(memento: Memento, definition: dict) -> bytes:
    """A one-page PDF with the memento's title and sections, written by hand: enough for
    the download to be a real, readable PDF."""
    lines = [f"Memento n{memento.number}", memento.title, ""]
    lines += [title for title, _body in definition["sections"]]
    return simple_pdf(lines)


def simple_pdf(lines: list[str]) -> bytes:
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT", "/F1 14 Tf", "56 780 Td", "18 TL"]
    for line in lines:
        for chunk in [line[i : i + 80] for i in range(0, len(line), 80)] or [""]:
            text.append(f"({escape(chunk)}) '")
    text.append("ET")
    stream = "\n".join(text).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = output.tell()
    output.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        output.write(f"{offset:010d} 00000 n \n".encode())
    output.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return output.getvalue()
