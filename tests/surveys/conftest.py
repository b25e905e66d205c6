import pytest

from surveys import services
from surveys.models import Question
from tests.factories.surveys import definition, invite


@pytest.fixture
def survey(db):
    created, _ = services.survey_load(definition())
    return created


@pytest.fixture
def questions(survey) -> dict[str, Question]:
    return {
        question.code: question
        for question in Question.objects.filter(section__survey=survey).prefetch_related("choices")
    }


@pytest.fixture
def invitation(survey, directory):
    """The Pôle Bois Montagne's invitation and its link token."""
    entry = directory["bois"]
    entry.email = "contact@pole-bois.fr"
    entry.save(update_fields=["email"])
    return invite(survey, entry)


@pytest.fixture
def admin_client_with_2fa(db):
    """A superuser (with the second factor every staff account has) signed in."""
    from django.test import Client

    from tests.factories.accounts import UserFactory

    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client
