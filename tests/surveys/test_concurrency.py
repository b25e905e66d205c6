"""Ten submits of one draft at the same instant, on real transactions."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from django.db import connection
from django.test import Client

from surveys.models import Response
from tests.factories.surveys import answer_everything
from tests.markers import REAL_TRANSACTIONS


@REAL_TRANSACTIONS
def test_ten_concurrent_submits_leave_one_submitted_response_and_no_error(
    reference_data, invitation, questions, mailoutbox
):
    _invitation, token = invitation
    answer_everything(Client(), questions, f"/enquetes/r/{token}/")
    start = Barrier(10)

    def submit(_number: int) -> tuple[int, str]:
        try:
            start.wait()
            page = Client().post(f"/enquetes/r/{token}/envoyer/")
            return page.status_code, page["Location"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(submit, range(10)))
    assert {code for code, _ in results} == {302}
    assert {location.rsplit("/", 2)[-2] for _, location in results} == {"merci"}
    assert Response.objects.count() == 1
    assert Response.objects.get().status == Response.Status.SUBMITTED
    assert len(mailoutbox) == 1  # one copy, not ten


@REAL_TRANSACTIONS
def test_two_tabs_starting_at_once_share_one_draft(reference_data, invitation, questions):
    _invitation, token = invitation
    start = Barrier(6)

    def save(number: int) -> int:
        try:
            start.wait()
            data = {"action": "save", f"q_{questions['adherents'].pk}": str(number)}
            return Client().post(f"/enquetes/r/{token}/section/1/", data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(save, range(1, 7)))
    assert codes == [302] * 6
    response = Response.objects.get()
    assert response.answers.count() == 1  # the last save wins, nothing doubled
