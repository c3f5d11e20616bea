"""The seed article through the real `presspipe run news` command, as a user runs it.

The unit tests of quotes and entities feed hand-cleaned text; this checks what the shipped
pipeline writes for the seed file itself (clean.text, then the shared parse).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = (
    "Vladimir Putin",
    "Donald Trump",
    "Abbas Gallyamov",
    "Igor Girkin",
    "Alexei Puskov",
    "Alexei Zhuravlev",
    "Aleksandr Dugin",
    "Margarita Simonyan",
)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("seed") / "seed.jsonl"
    command = [sys.executable, "-m", "presspipe", "run", "news", str(ROOT / "seeds"), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    [line] = out.read_text(encoding="utf-8").splitlines()
    return dict(json.loads(line))


def test_the_seeds_people_are_persons_under_their_full_names(seed: dict[str, Any]) -> None:
    labels = {entity["name"]: entity["label"] for entity in seed["entities"]}
    for person in PEOPLE:
        assert labels.get(person) == "PERSON", person
    for partial in ("Zhuravlev", "Gallyamov", "Dugin"):
        assert partial not in labels  # joined the full name
    assert labels.get("pro-Kremlin") != "PERSON"


def test_the_seeds_speech_is_attributed_to_people_named_in_full(seed: dict[str, Any]) -> None:
    names = {entity["id"]: entity["name"] for entity in seed["entities"]}
    said = [(q["kind"], names.get((q["speaker"] or {}).get("entity") or "")) for q in seed["quotes"]]
    assert ("indirect", "Alexei Zhuravlev") in said
    assert ("indirect", "Aleksandr Dugin") in said  # "Russia, he continued, should ..."
    assert ("indirect", "Abbas Gallyamov") in said  # "Gallyamov said"
    assert sum(1 for kind, name in said if kind == "direct" and name == "Abbas Gallyamov") == 4
    assert all(q["cue"] is not None for q in seed["quotes"])
