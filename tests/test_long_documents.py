# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""Long documents: the indexed lookups of quotes.extract and summarize.extractive give what a
scan of the whole document gives, and a long document gives each paragraph what it gives alone.

The lookups replaced scans that made both steps quadratic in the length of the text (issue 22);
``bench/long_documents.py`` shows the cost per character. Each scan below is the definition the
index must keep, run on the real parse of the seed article.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any

import pytest

from presspipe import RunContext, config_with_defaults
from presspipe.api.pages import _Mark, _MarkIndex
from presspipe.document import new_document
from presspipe.plugins.clean.rules import find_duplicates, normalise_for_compare
from presspipe.plugins.quotes.extract import DocumentReader, _Stabbing
from presspipe.plugins.quotes.reported import Reported
from presspipe.plugins.quotes.state import SpeakerLog
from presspipe.plugins.summarize import _own_line, _QuoteCover
from presspipe.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_88ecee838c30f0fd.txt"
PARAGRAPH = (
    "Mayor Anna Berg said on Monday that the city would spend 12 million on the bridge. "
    "“We will not leave anyone behind, and the work starts in May,” Berg told reporters. "
    "She added that the council had approved the plan, according to a statement from her office.\n\n"
)


@pytest.fixture(scope="module")
def reader() -> DocumentReader:
    registry = load_registry()
    entities, quotes = (
        registry.steps[name].factory(config_with_defaults(registry.steps[name].config_schema, {}))
        for name in ("entities.spacy", "quotes.extract")
    )
    context = RunContext()
    documents = entities([new_document(text=SEED.read_text(encoding="utf-8"))], context)
    (doc,) = context.parse(documents, quotes.model)
    return DocumentReader(doc, documents[0]["entities"], quotes.extractor.settings)


def test_mention_lookups_are_the_scans(reader: DocumentReader) -> None:
    mentions = reader.mentions
    assert len(mentions) > 40

    def entity_at(start: int, end: int) -> Any:
        return next((e for s, e_end, e in mentions if s < end and start < e_end), None)

    def named_inside(start: int, end: int) -> Any:
        for s, e_end, entity in mentions:
            label = entity.get("label")
            if (
                start <= s
                and e_end <= end
                and label in ("PERSON", "ORG")
                and reader.text[e_end : e_end + 2] not in ("’s", "'s")
            ):
                return entity
        return None

    rng = random.Random(7)
    spans = [(t.idx, t.idx + len(t)) for t in reader.doc]
    spans += [(s, s + rng.randint(0, 80)) for s in (rng.randrange(len(reader.text)) for _ in range(2000))]
    spans += [(s, e) for s, e, _ in mentions] + [(s - 1, e + 1) for s, e, _ in mentions]
    for start, end in spans:
        assert reader._entity_at(start, end) is entity_at(start, end), (start, end)
        assert reader._named_inside(start, end) is named_inside(start, end), (start, end)


def test_pronoun_and_description_lookups_are_the_scans(reader: DocumentReader) -> None:
    mentions = reader.mentions
    pronouns = descriptions = 0
    for token in reader.doc:
        if token.lower_ in ("he", "she", "they", "it", "we", "i", "him", "her", "them"):
            last = None
            for s, _e, entity in mentions:
                if s >= token.idx:
                    break
                if not reader._quoted_at(s) and reader._agrees(token.lower_, entity):
                    last = entity
            # the nearest agreeing mention, which ``_antecedent`` falls back on after the subjects
            starts, entities = reader._antecedents(token.lower_)
            index = bisect_left(starts, token.idx)
            assert (entities[index - 1] if index else None) is last, token.i
            pronouns += last is not None
        if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            lemma, last = token.lemma_.lower(), None
            for s, e, entity in mentions:
                if s >= token.idx:
                    break
                span = reader.doc.char_span(s, e, alignment_mode="expand")
                if entity.get("label") != "PERSON" or span is None:
                    continue
                window = reader.doc[max(span.sent.start, span.start - 8) : min(span.sent.end, span.end + 8)]
                if any(t.lemma_.lower() == lemma for t in window):
                    last = entity
            assert reader._description(token) is last, token.i
            descriptions += last is not None
    assert pronouns > 5 and descriptions >= 1  # the seed's "the analyst" is Abbas Gallyamov


def test_quoted_segment_and_text_lookups_are_the_scans(reader: DocumentReader) -> None:
    quoted, text = reader.quoted, reader.text
    assert len(quoted) > 10
    rng = random.Random(11)
    offsets = [o for s, e in quoted for o in (s - 1, s, s + 1, e - 1, e, e + 1)]
    offsets += [rng.randrange(len(text)) for _ in range(2000)]
    for offset in offsets:
        around = next((q for q in quoted if q[0] < offset < q[1]), None)
        assert reader._quoted_around(offset) == around, offset
        end = offset + rng.randint(0, 300)
        assert reader._quoted_overlapping(offset, end) == [q for q in quoted if q[0] < end and offset < q[1]]
        for chars in (None, " \t;:,.—–-"):
            assert reader._stripped_end(offset, chars) == len(text[:offset].rstrip(chars))


def test_reported_stabbing_is_the_scan(reader: DocumentReader) -> None:
    rng = random.Random(3)
    token = reader.doc[0]
    for _ in range(30):
        candidates = []
        for _ in range(rng.randint(0, 25)):
            start = rng.randrange(200)
            candidates.append(
                Reported(start, start + rng.randint(1, 60), token, token, "say", "ccomp", "person")
            )
        stabbing = _Stabbing(candidates)
        for asking in [*candidates, Reported(0, 1, token, token, "say", "ccomp", "person")]:
            for offset in range(-1, 262):
                expected = any(c.start <= offset < c.end for c in candidates if c is not asking)
                assert stabbing.holds(offset, asking) is expected


def test_summary_lookups_are_the_scans() -> None:
    rng = random.Random(5)
    for _ in range(200):
        spans = [(s, s + rng.randint(1, 40)) for s in (rng.randrange(100) for _ in range(rng.randint(0, 8)))]
        cover = _QuoteCover(spans)
        for start in range(-1, 130):
            end = start + rng.randint(0, 30)
            assert cover.covers(start, end) is any(qs <= start and end <= qe for qs, qe in spans)
    text = "Title\n  A line. \t\nB and C.\n\n\t D \n"
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            before, after = text[:start].rstrip(" \t"), text[end:].lstrip(" \t")
            expected = (not before or before.endswith("\n")) and (not after or after.startswith("\n"))
            assert _own_line(text, start, end) is expected, (start, end)


def test_a_long_document_gives_each_paragraph_what_it_gives_alone(tmp_path: Path) -> None:
    """Forty paragraphs through the real CLI: every paragraph's quotes are the first's, shifted."""
    count = 40
    (tmp_path / "long.txt").write_text("City plans\n\n" + PARAGRAPH * count, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-m",
        "presspipe",
        "run",
        "news",
        str(tmp_path / "long.txt"),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (document,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert document["errors"] == []
    text = document["text"]
    starts = [i for i in range(len(text)) if text.startswith("Mayor Anna Berg said", i)]
    assert len(starts) == count

    def relative(quote: dict[str, Any]) -> tuple[Any, ...]:
        base = starts[bisect_right(starts, quote["start"]) - 1]
        speaker = quote["speaker"]
        return (
            quote["start"] - base,
            quote["end"] - base,
            quote["kind"],
            None if speaker is None else (speaker["start"] - base, speaker["text"]),
            None if quote["cue"] is None else quote["cue"]["start"] - base,
        )

    by_paragraph: dict[int, list[tuple[Any, ...]]] = {}
    for quote in document["quotes"]:
        by_paragraph.setdefault(bisect_right(starts, quote["start"]) - 1, []).append(relative(quote))
    first = by_paragraph[0]
    assert {kind for _, _, kind, _, _ in first} >= {"direct", "indirect"}
    assert all(by_paragraph.get(i) == first for i in range(1, count))
    assert len(document["summary"]["sentences"]) == 3


def test_duplicate_paragraphs_are_the_all_pairs_comparison() -> None:
    """clean.text's duplicates (a caption or pull quote repeating part of a longer paragraph),
    found through the paragraphs holding the rarest word, against comparing all pairs."""
    rng = random.Random(9)
    vocabulary = [
        "the",
        "mayor",
        "said",
        "city",
        "bridge",
        "work",
        "starts",
        "may",
        "council",
        "plan",
        "votes",
    ]
    found = 0
    for _ in range(60):
        paragraphs = [
            " ".join(rng.choices(vocabulary, k=rng.randint(3, 14))) for _ in range(rng.randint(1, 25))
        ]
        paragraphs += [rng.choice(paragraphs) + " Said the mayor." for _ in range(3)]  # longer copies
        paragraphs += [" ".join(rng.choice(paragraphs).split()[2:]) for _ in range(3)]  # shorter parts
        keys = [normalise_for_compare(p) for p in paragraphs]
        expected = {}
        for i, key in enumerate(keys):
            if len(key.split()) >= 8:
                longer = [
                    j
                    for j, other in enumerate(keys)
                    if i != j and len(other) > len(key) and f" {key} " in f" {other} "
                ]
                if longer:
                    expected[i] = longer[0]
        assert find_duplicates(paragraphs) == expected
        found += len(expected)
    assert found > 60


def test_speaker_log_is_the_scan_of_every_speaker() -> None:
    """A pronoun's first guess: the speaker resolved last before it in its paragraph."""
    rng = random.Random(13)
    for _ in range(100):
        log = SpeakerLog(lambda offset: offset // 50)  # paragraphs of fifty characters
        resolved: list[tuple[int, dict[str, Any]]] = []
        for number in range(rng.randint(0, 40)):
            speaker = (rng.randrange(200), {"id": f"E{number}"})
            log.append(speaker)
            resolved.append(speaker)
            for offset in range(0, 201, 7):
                expected = next(
                    (e for o, e in reversed(resolved) if o < offset and o // 50 == offset // 50), None
                )
                assert log.last_before(offset, offset // 50) is expected


def test_page_marks_by_paragraph_are_the_scan() -> None:
    """The document page's marks overlapping each paragraph, in their order (classes and
    attributes are layered in that order)."""
    rng = random.Random(17)
    for _ in range(100):
        marks = []
        for number in range(rng.randint(0, 30)):
            start = rng.randrange(300)
            marks.append(_Mark(start, start + rng.randint(1, rng.choice((5, 40, 250))), (f"m{number}",), ()))
        index = _MarkIndex(marks)
        for start in range(0, 320, 9):
            end = start + rng.randint(1, 60)
            assert index.overlapping(start, end) == [m for m in marks if m.start < end and m.end > start]
