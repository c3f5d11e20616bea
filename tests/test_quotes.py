# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""quotes.extract: the seed article's eleven quotations, and each construction on short texts.

Runs the real spaCy model through entities.spacy + quotes.extract, as a pipeline does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from presspipe import RunContext, config_with_defaults
from presspipe.document import new_document
from presspipe.plugins.quotes.marks import find_segments
from presspipe.registry import load_registry

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_88ecee838c30f0fd.txt"


@pytest.fixture(scope="module")
def steps() -> list[Any]:
    registry = load_registry()
    return [
        registry.steps[name].factory(config_with_defaults(registry.steps[name].config_schema, {}))
        for name in ("entities.spacy", "quotes.extract")
    ]


@pytest.fixture(scope="module")
def run(steps: list[Any]) -> Any:
    def run(text: str) -> dict[str, Any]:
        documents = [new_document(text=text)]
        context = RunContext()
        for step in steps:
            documents = step(documents, context)
        return documents[0]

    return run


def speaker_name(document: dict[str, Any], quote: dict[str, Any]) -> str | None:
    """The canonical name of the quote's speaker entity, else the speaker text."""
    speaker = quote["speaker"]
    if speaker is None:
        return None
    for entity in document["entities"]:
        if entity["id"] == speaker["entity"]:
            return str(entity["name"])
    return str(speaker["text"])


def check_offsets(document: dict[str, Any]) -> None:
    text = document["text"]
    for quote in document["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
        for key in ("speaker", "cue"):
            span = quote[key]
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]


# ---------------------------------------------------------------------------
# The seed article, cleaned the way clean.text will clean it
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(run: Any) -> dict[str, Any]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[2:-1] if "Getty Images" not in line]  # title, dateline, captions, footer
    return dict(run("\n".join(body).strip() + "\n"))


def test_seed_eleven_quotations_with_their_speakers(seed: dict[str, Any]) -> None:
    check_offsets(seed)
    got = [(q["text"][:30], speaker_name(seed, q)) for q in seed["quotes"]]
    expected = [
        ("“Putin must be unbearably jeal", "Abbas Gallyamov"),
        ("“What Putin promised to do in ", "Abbas Gallyamov"),
        ("“We’ve suffered another blow t", "Igor Girkin"),
        ("“an unacceptable violation of ", "Russia’s foreign ministry"),
        ("“wild imperialism of the 19th ", "Alexei Puskov"),
        ("“Washington’s actions have eff", "Two Majors"),
        ("“All of Russia is asking itsel", "Aleksandr Dugin"),
        ("“Do like Trump, do it better t", "Aleksandr Dugin"),
        ("“be jealous.”", "Margarita Simonyan"),
        ("“Putin himself created a world", "Abbas Gallyamov"),
        ("“And now the Americans have sh", "Abbas Gallyamov"),
    ]
    assert got == expected


def test_seed_cues_and_kinds(seed: dict[str, Any]) -> None:
    quotes = seed["quotes"]
    assert [q["cue"]["text"] if q["cue"] else None for q in quotes] == [
        "told",
        "told",
        "wrote",
        "described",
        "said",
        "posted",
        "wrote",
        "continued",  # Russia, he continued, should ... “Do like Trump ...”
        "saying",
        "added",
        "added",
    ]
    assert quotes[0]["kind"] == "direct"
    assert quotes[3]["kind"] == "partial"  # described it as “an unacceptable violation ...”
    # a named organisation that is not an entity keeps its text and a null entity
    assert quotes[3]["speaker"]["entity"] is None


def test_seed_scare_quotes_and_names_are_not_quotations(seed: dict[str, Any]) -> None:
    texts = " ".join(q["text"] for q in seed["quotes"])
    assert "multipolar" not in texts
    assert "‘Two Majors" not in texts
    assert "cancelled" not in texts


# ---------------------------------------------------------------------------
# Constructions, one short text each
# ---------------------------------------------------------------------------


def only(document: dict[str, Any]) -> dict[str, Any]:
    check_offsets(document)
    assert len(document["quotes"]) == 1, document["quotes"]
    return dict(document["quotes"][0])


@pytest.mark.parametrize(
    "text",
    [
        "“We will win this election,” Senator Jane Smith said on Tuesday.\n",
        "“We will win this election,” said Senator Jane Smith on Tuesday.\n",
        "Senator Jane Smith said on Tuesday, “We will win this election.”\n",
        '"We will win this election," Senator Jane Smith said on Tuesday.\n',
        "“We will win this election,” according to Senator Jane Smith.\n",
    ],
    ids=["said-after", "inverted", "said-before", "straight-marks", "according-to"],
)
def test_direct_quote_speaker_from_syntax(run: Any, text: str) -> None:
    quote = only(run(text))
    assert quote["text"].startswith(("“We will", '"We will'))
    assert quote["kind"] == "direct"
    assert quote["speaker"]["text"].endswith("Jane Smith")
    assert quote["speaker"]["entity"] is not None
    assert quote["cue"]["text"] in ("said", "according to")


def test_colon_introduced_multi_sentence_quote(run: Any) -> None:
    document = run(
        "Writing on his blog, the commentator Igor Girkin wrote: “We have suffered another blow. "
        "Another ally has been left without help.”\n"
    )
    quote = only(document)
    assert quote["text"].endswith("without help.”")
    assert speaker_name(document, quote) == "Igor Girkin"
    assert quote["cue"]["text"] == "wrote"


def test_partial_quote_inside_reported_speech_takes_the_highest_reporting_verb(run: Any) -> None:
    document = run("Mary Ditto said she expects the talks to fail, calling the offer “a cynical stunt.”\n")
    quote = only(document)
    assert quote["kind"] == "partial"
    assert speaker_name(document, quote) == "Mary Ditto"


def test_organisation_speaks_and_keeps_a_null_entity_when_not_named(run: Any) -> None:
    quote = only(
        run(
            "Russia’s foreign ministry described the raid as “an unacceptable violation of the "
            "sovereignty of an independent state.”\n"
        )
    )
    assert quote["speaker"]["text"] == "Russia’s foreign ministry"
    assert quote["speaker"]["entity"] is None


def test_second_quote_in_paragraph_keeps_the_speaker(run: Any) -> None:
    document = run(
        "“The bridge will be finished this year,” Mayor Ann Lee said. “The money is there.”\n\n"
        "“Nobody will believe the delay,” the governor’s office replied.\n"
    )
    check_offsets(document)
    quotes = document["quotes"]
    assert [speaker_name(document, q) for q in quotes[:2]] == ["Ann Lee", "Ann Lee"]
    assert quotes[1]["speaker"] == quotes[0]["speaker"]
    assert quotes[2]["speaker"]["text"] == "the governor’s office"


def test_quote_over_paragraphs_with_unclosed_mark(run: Any) -> None:
    document = run(
        "“The bridge will be finished this year,” Mayor Ann Lee said. “The money is there. "
        "The workers are ready.\n\n"
        "“Nobody should doubt it. We will open it in June.”\n\n"
        "The council did not comment.\n"
    )
    check_offsets(document)
    quotes = document["quotes"]
    assert len(quotes) == 3
    assert quotes[1]["text"].endswith("ready.")  # runs to the end of its paragraph
    assert quotes[2]["text"] == "“Nobody should doubt it. We will open it in June.”"
    assert [speaker_name(document, q) for q in quotes] == ["Ann Lee"] * 3


def test_pronoun_continues_the_speaker(run: Any) -> None:
    document = run(
        "Senator Tom Hardy spoke for an hour on Monday about the budget.\n\n"
        "“We are ready for this fight and we will not give up,” he continued.\n"
    )
    quote = only(document)
    assert quote["speaker"]["text"] == "he"
    assert speaker_name(document, quote) == "Tom Hardy"


def test_description_resolves_to_the_person(run: Any) -> None:
    document = run(
        "Political analyst Abbas Gallyamov has followed the Kremlin for twenty years.\n\n"
        "“Putin must be unbearably jealous of what happened,” the analyst said.\n"
    )
    quote = only(document)
    assert quote["speaker"]["text"] == "the analyst"
    assert speaker_name(document, quote) == "Abbas Gallyamov"


def test_scare_quotes_and_names_in_marks_are_not_quotations(run: Any) -> None:
    document = run(
        "Putin’s self-proclaimed “multipolar” world is toothless, and this “multipolar” order is weak.\n\n"
        "The channel ‘Two Majors,’ which has many followers, posted on Telegram that "
        "“Washington has given Moscow free rein to resolve its own issues.”\n"
    )
    quote = only(document)
    assert quote["text"].startswith("“Washington")
    assert quote["speaker"]["text"] == "Two Majors"


def test_single_marks_quote_in_a_text_without_double_marks(run: Any) -> None:
    document = run("'We will win this election,' Senator Jane Smith said. Smith's aides agreed.\n")
    quote = only(document)
    assert quote["text"] == "'We will win this election,'"
    assert quote["speaker"]["text"].endswith("Jane Smith")


def test_curly_single_marks_around_apostrophes(run: Any) -> None:
    document = run(
        "The minister’s aides didn’t comment. ‘It’s over,’ the minister told reporters on Monday, "
        "‘and nobody will be surprised.’\n"
    )
    check_offsets(document)
    quotes = document["quotes"]
    assert [q["text"] for q in quotes] == ["‘It’s over,’", "‘and nobody will be surprised.’"]
    assert [q["speaker"]["text"] for q in quotes] == ["the minister", "the minister"]
    assert quotes[0]["cue"]["text"] == "told"


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Putin’s allies didn’t help. The voters’ anger in ’16 was real. It’s over, the ‘90s too.\n"
    assert find_segments(text) == []
    assert find_segments(text, "always") == []


def test_step_is_idempotent_and_registered(steps: list[Any]) -> None:
    registry = load_registry()
    spec = registry.steps["quotes.extract"]
    assert spec.requires == ("text", "entities")
    assert spec.provides == ("quotes",)
    text = "“We will win this election,” Senator Jane Smith said.\n"
    documents = [new_document(text=text)]
    context = RunContext()
    for step in steps:
        documents = step(documents, context)
    first = [dict(q) for q in documents[0]["quotes"]]
    documents = steps[1](documents, context)
    assert documents[0]["quotes"] == first
    assert context.documents_parsed == 1  # one shared parse for both steps
