"""Big exports are made by the worker: the request answers at once with a page that
shows the progress, then a download link that only the requester can open, for a set
time; the file holds exactly what the immediate export would."""

import html
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from core.models import ExportFile
from surveys import services as survey_services
from surveys.models import Question
from tests.factories.surveys import complete, definition

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = 1


def test_a_big_export_is_prepared_then_downloaded_by_its_requester_only(
    client, directory, settings, small_threshold, django_capture_on_commit_callbacks, member
):
    url = "/pratiques/export.csv?region=84"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client.get(url)
    # The request only recorded the export: the worker makes it.
    assert started.status_code == 302
    export = ExportFile.objects.get()
    assert started["Location"] == f"/telechargements/{export.token}/"
    waiting = client.get(started["Location"])
    assert "Préparation en cours : 0 / 2 lignes" in waiting.content.decode()
    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    assert waiting["Cache-Control"].startswith("max-age=0")

    for callback in callbacks:
        callback()  # the worker's turn
    ready = client.get(started["Location"]).content.decode()
    assert "Votre fichier est prêt." in ready
    assert "pratiques-interclusters.csv" in ready
    assert '<meta http-equiv="refresh"' not in ready
    download = client.get(f"/telechargements/{export.token}/fichier/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert 'rel="license"' in download["Link"]

    settings.EXPORT_BACKGROUND_ROWS = 10_000
    assert _body(download) == _body(client.get(url))  # the same file as made at once

    # Nobody else: another visitor, a signed-in member.
    assert Client().get(f"/telechargements/{export.token}/fichier/").status_code == 404
    other = Client()
    other.force_login(member)
    assert other.get(f"/telechargements/{export.token}/").status_code == 404
    # Past its time, the file is gone for its requester too.
    ExportFile.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/telechargements/{export.token}/fichier/").status_code == 404


@pytest.fixture
def survey_with_answers(directory):
    survey, _ = survey_services.survey_load(definition())
    questions = {q.code: q for q in Question.objects.filter(section__survey=survey)}
    for entry in (directory["bois"], directory["labo"], directory["pays"]):
        complete(survey, entry, questions)
    return survey


def test_the_survey_export_is_prepared_for_the_staff_as_a_typed_workbook(
    staff_client, survey_with_answers, small_threshold, django_capture_on_commit_callbacks
):
    slug = survey_with_answers.slug
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.get(f"/enquetes/{slug}/export.xlsx")
    assert started.status_code == 302
    export = ExportFile.objects.get()
    assert export.owner.is_staff
    download = staff_client.get(f"/telechargements/{export.token}/fichier/")
    workbook = load_workbook(io.BytesIO(_body(download)))
    export.refresh_from_db()
    assert export.rows_done == 3
    assert workbook.active.max_row == 4  # the header, then every response
    assert isinstance(workbook.active["A2"].value, int | str)
    assert "Link" not in download  # survey answers are not open data


def test_an_export_that_fails_says_so(client, directory, small_threshold, settings):
    from core import exportfiles

    response = client.get("/pratiques/export.csv?region=84")
    export = ExportFile.objects.get()
    # The filters were valid when asked; the worker finds them otherwise.
    ExportFile.objects.filter(pk=export.pk).update(query="region=nulle-part")
    with pytest.raises(ValueError, match="Invalid filters"):
        exportfiles.export_prepare(export.pk)
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Le fichier n'a pas pu être préparé." in page
