import pytest

from tests.factories.mementos import make_memento


@pytest.fixture
def draft(directory):
    return make_memento(1, status="draft", directory=directory)


@pytest.fixture
def published(directory):
    return make_memento(2, status="published", directory=directory, slug="clusters-et-territoires")
