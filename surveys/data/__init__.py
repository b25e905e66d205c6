"""Survey definitions as data: the shape ``services.survey_load`` takes.

``surveys_2015.json`` holds the programme's two 2015 surveys, one to clusters and one to
territories. A definition is a survey's fields, then its sections, each with its
questions; a question's ``condition`` names an earlier choice question's code and one of
its choices.
"""

import json
from datetime import datetime
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
DATE_FIELDS = ("opens_at", "closes_at")


def load(path: Path) -> list[dict]:
    """The survey definitions of a JSON file, dates read back as aware datetimes."""
    with open(path, encoding="utf-8") as handle:
        surveys = json.load(handle)["surveys"]
    for survey in surveys:
        for name in DATE_FIELDS:
            survey[name] = datetime.fromisoformat(survey[name])
    return surveys


def surveys_2015() -> list[dict]:
    return load(FOLDER / "surveys_2015.json")


def q(
    code, label, kind, *, required=False, choices=(), other=False, help="", condition=None, **extra
) -> dict:
    """A question of a definition, written in Python (tests, generated data)."""
    return {
        "code": code, "label": label, "kind": kind, "required": required, "choices": list(choices),
        "allow_other": other, "help_text": help, "condition": condition, **extra,
    }  # fmt: skip
