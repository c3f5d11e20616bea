"""The rules of ``quotes.extract``: who said what, quoted or reported.

1. Quotations (``quoted.py``): ``marks.find_segments`` pairs the quotation marks of each
   paragraph; each segment is attached to a cue and speaker through the parse
   (``attribution.py``); scare quotes and names in marks are dropped.
2. Reported speech (``reported.py``): cue words with the clause they govern ("X said (that)
   ...", "according to X, ...", "X's claim that ..."), kept when PolNeAR's train split
   annotates such a (lemma, construction) often enough (``reported.json``).
3. The two are merged: a reported clause that is little more than one quotation is that
   quotation (``direct`` or ``partial``); a reported clause holding quoted fragments is one
   **mixed** attribution, kind ``partial``, whose ``quoted`` lists the fragments; the others
   are ``indirect``.
4. Speakers (``speakers.py``): the speaker's phrase, and the canonical entity it refers to
   (names, surnames, pronouns, descriptions).

``docs/steps/quotes.md`` has the details and the measured accuracy.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from presspipe.plugins.quotes.features import Features, quotation_features, reported_features
from presspipe.plugins.quotes.models import load_models
from presspipe.plugins.quotes.quoted import QuotedSearch
from presspipe.plugins.quotes.reported import Reported, ReportedLexicon, ReportedSearch
from presspipe.plugins.quotes.speakers import PERSONAL_PRONOUNS
from presspipe.plugins.quotes.state import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc

KINDS = ("direct", "partial", "indirect")
ONE_QUOTATION = 0.8
"""A reported clause whose alphanumeric characters are at least this share quoted is that quotation."""


class Extractor:
    """Quote extraction settings; ``extract`` reads one document through a ``DocumentReader``."""

    def __init__(
        self,
        settings: Settings,
        reported: ReportedLexicon,
        kinds: tuple[str, ...] = KINDS,
        min_confidence: float = 0.0,
    ) -> None:
        self.settings = settings
        self.reported = reported
        self.kinds = kinds
        self.min_confidence = min_confidence

    def extract(
        self, doc: Doc, entities: list[dict[str, Any]], trace: list[Trace] | None = None
    ) -> list[dict[str, Any]]:
        """The document's attributions; ``trace``, when given, receives every scored candidate
        with its features (``eval/train_attribution.py`` learns from them)."""
        reader = DocumentReader(doc, entities, self.settings)
        reader.trace = trace
        records = reader.quotations()
        if "indirect" in self.kinds or "partial" in self.kinds:
            records = reader.merge_reported(records, self.reported)
        models = load_models()
        for record in records:
            evidence = record.pop("_evidence", None)
            if evidence is not None:  # a quotation: its speaker (or it) is judged now
                features = quotation_features(reader, record, evidence)
                record["confidence"] = round(models.quotation.confidence(features), 3)
                if trace is not None:
                    trace.append(Trace("quotation", features, record))
        records = [r for r in records if r["kind"] in self.kinds and r["confidence"] >= self.min_confidence]
        records.sort(key=lambda r: (r["start"], -r["end"]))
        for number, record in enumerate(records, start=1):
            record["id"] = f"Q{number}"
        return records


@dataclass
class Trace:
    """A scored candidate: which model, its features, and what it would output."""

    model: str
    features: Features
    record: dict[str, Any]


def _alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


class _Stabbing:
    """Which of some reported candidates hold an offset in their content, by bisection: the
    candidates sorted by start, with the two longest-reaching of each prefix (so that a
    candidate can ask about the others)."""

    def __init__(self, candidates: list[Reported]) -> None:
        ordered = sorted(candidates, key=lambda c: c.start)
        self.starts = [c.start for c in ordered]
        self.reach: list[tuple[tuple[int, int], tuple[int, int]]] = []  # ((end, id), (end, id))
        best = second = (-1, -1)
        for candidate in ordered:
            entry = (candidate.end, id(candidate))
            if entry[0] > best[0]:
                best, second = entry, best
            elif entry[0] > second[0]:
                second = entry
            self.reach.append((best, second))

    def holds(self, offset: int, asking: Reported) -> bool:
        """Whether a candidate other than ``asking`` has ``start <= offset < end``."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return False
        best, second = self.reach[index]
        end = best[0] if best[1] != id(asking) else second[0]
        return offset < end


class DocumentReader(QuotedSearch, ReportedSearch):
    """Quoted and reported speech of one document."""

    trace: list[Trace] | None = None

    def merge_reported(self, quotes: list[dict[str, Any]], lexicon: ReportedLexicon) -> list[dict[str, Any]]:
        """``quotes`` with the document's reported speech merged in (rule 3 of the module docstring)."""
        absorbed: set[int] = set()  # indexes of quotes that became part of a mixed attribution
        records: list[dict[str, Any]] = []
        kept = self._decided(self.reported_candidates(), lexicon)
        outer = _Stabbing([c for c in kept if c.construction != "in-source"])
        quote_starts = [q["start"] for q in quotes]  # in order, never overlapping (the segments')
        for candidate in kept:
            if candidate.construction not in ("noun", "according") and outer.holds(
                candidate.cue.idx, candidate
            ):
                continue  # "Merrill said Machado wants to continue ...": PolNeAR keeps the outer one
            at = bisect_right(quote_starts, candidate.cue.idx) - 1
            if at >= 0 and candidate.cue.idx < quotes[at]["end"]:
                # a transcript line in quotation marks: “WALLACE: ...”
                self._attribute_quote(quotes[at], candidate)
                continue
            inside = []
            for i in range(bisect_left(quote_starts, candidate.start - 1), len(quotes)):
                if quotes[i]["start"] > candidate.end + 1:
                    break
                if quotes[i]["end"] <= candidate.end + 1:
                    inside.append(i)
            # a quotation attributed by a cue of its own inside the clause is an inner attribution
            # ("Some voters said they do not believe she “cares,” according to a poll"): it
            # stays itself, and the clause is the outer one's, with the outer speaker
            inner = [i for i in inside if self._nested(quotes[i], candidate)]
            if inner:
                record = self._reported(candidate, [])
                if record is not None:
                    records.append(record)
                continue
            quoted = sum(_alnum(quotes[i]["text"]) for i in inside)
            content = _alnum(self.text[candidate.start : candidate.end])
            if inside and quoted >= ONE_QUOTATION * content:
                for i in inside:
                    if quotes[i]["speaker"] is None:
                        self._attribute_quote(quotes[i], candidate)
                continue
            record = self._reported(candidate, [quotes[i] for i in inside])
            if record is None:
                continue
            absorbed.update(inside)
            records.append(record)
        return [q for i, q in enumerate(quotes) if i not in absorbed] + records

    def _decided(self, candidates: Iterable[Reported], lexicon: ReportedLexicon) -> list[Reported]:
        """The candidates that the counts of ``reported.json`` keep and the learned model confirms
        (``models.py``: a calibrated confidence of at least its threshold; a speech frame stands on
        its own), each with its confidence."""
        models = load_models()
        kept = []
        for candidate in candidates:
            features = reported_features(self, candidate)
            candidate.confidence = models.reported.confidence(features)
            if self.trace is not None:
                speaker = self._phrase(candidate.speaker)
                self.trace.append(
                    Trace(
                        "reported",
                        features,
                        {"start": candidate.start, "end": candidate.end, "speaker": speaker},
                    )
                )
            if lexicon.keeps(candidate) and (
                candidate.confidence >= models.threshold or lexicon.speech_frame(candidate)
            ):
                kept.append(candidate)
        return kept

    def _reported(self, candidate: Reported, fragments: list[dict[str, Any]]) -> dict[str, Any] | None:
        speaker = self._speaker(candidate.speaker)
        # the speaker may sit inside the clause only as an interruption ("Russia, he continued, should")
        cue_start = min(candidate.cue.idx, speaker["start"])
        cue_end = max(candidate.cue.idx + len(candidate.cue), speaker["end"])
        interrupted = candidate.start < cue_start and cue_end < candidate.end
        if speaker["start"] < candidate.end and candidate.start < speaker["end"] and not interrupted:
            return None  # a misparse
        self._remember(speaker)
        cue = self._cue(candidate.cue)
        confidence = candidate.confidence
        attributed = [f for f in fragments if f["speaker"] is not None]
        if attributed:  # the quotation's own attribution is the better tuned
            speaker, cue = attributed[0]["speaker"], attributed[0]["cue"] or cue
            features = quotation_features(self, attributed[0], attributed[0].get("_evidence", {}))
            confidence = max(confidence, load_models().quotation.confidence(features))
        start, end = candidate.start, candidate.end
        return {
            "id": "",
            "text": self.text[start:end],
            "start": start,
            "end": end,
            "kind": "partial" if fragments else "indirect",
            "speaker": speaker,
            "cue": cue,
            "quoted": [f["quoted"][0] for f in fragments],
            "confidence": round(confidence, 3),
        }

    def _nested(self, quote: dict[str, Any], candidate: Reported) -> bool:
        """Whether ``quote`` has a speaker and cue of its own inside ``candidate``'s clause (not a
        pronoun: "Trump said he called it a “sex tape”" is Trump's statement)."""
        cue, speaker = quote["cue"], quote["speaker"]
        return (
            cue is not None
            and speaker is not None
            and speaker["text"].lower() not in PERSONAL_PRONOUNS
            and candidate.start <= cue["start"] < candidate.end
            and candidate.start <= speaker["start"] < candidate.end
        )

    def _attribute_quote(self, quote: dict[str, Any], candidate: Reported) -> None:
        """Give a quotation the speaker and cue of the reported-speech candidate around it."""
        quote["speaker"] = self._remember(self._speaker(candidate.speaker))
        quote["cue"] = self._cue(candidate.cue)
        quote["_evidence"] = {**quote.get("_evidence", {}), "method": f"reported:{candidate.construction}"}

    def _remember(self, speaker: dict[str, Any]) -> dict[str, Any]:
        """Record a resolved speaker for the pronouns after it (``speakers.py``)."""
        if speaker["entity"] is not None:
            self.speakers.append((speaker["start"], self.entities[speaker["entity"]]))
        return speaker
