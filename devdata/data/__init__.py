"""Literal demo content, kept as JSON beside this module."""

import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict:
    """The content of ``<name>.json`` in this folder."""
    with open(FOLDER / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)
