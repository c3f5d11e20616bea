"""Features of attribution candidates, for the learned decisions (``models.py``).

Two kinds of candidate are scored:

- a reported-speech candidate of ``reported.py`` (a cue word, its speaker's head, the clause
  it governs): is it an attribution with that speaker?
- a quotation as the rules attributed it (``quoted.py``, ``attribution.py``): is its speaker
  right (or, with no speaker, is it a quotation at all)?

A feature is a name and a value: ``"lemma=say"`` with 1.0 for a category, ``"words"`` with a
number. Names only, never article text beyond a cue's or speaker's lemma.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

    from presspipe.plugins.quotes.reported import Reported
    from presspipe.plugins.quotes.state import DocumentState

Features = dict[str, float]
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "who", "that", "which"}
MODALS = {"would", "will", "could", "should", "may", "might", "must", "can"}
CUE_LIKE_DEPS = {"ccomp", "xcomp", "parataxis"}


def _bucket(value: float) -> str:
    """A coarse size class: 0, 1, 2, 3-4, 5-8, 9-16, ..."""
    return str(0 if value <= 0 else int(math.log2(value)) + 1)


def _entity_label(state: DocumentState, token: Token) -> str:
    entity = state._entity_at(token.idx, token.idx + len(token))
    return str(entity.get("label")) if entity is not None else "none"


def _speaker_features(state: DocumentState, head: Token, prefix: str = "speaker") -> Features:
    lower = head.lower_
    features: Features = {
        f"{prefix}.pos={head.pos_}": 1.0,
        f"{prefix}.dep={head.dep_}": 1.0,
        f"{prefix}.entity={_entity_label(state, head)}": 1.0,
    }
    if lower in PRONOUNS:
        features[f"{prefix}.pronoun={lower}"] = 1.0
    elif head.pos_ == "NOUN":
        features[f"{prefix}.noun={head.lemma_.lower()}"] = 1.0
    if state._in_quote(head):
        features[f"{prefix}.quoted"] = 1.0
    if head.ent_type_ == "" and head.pos_ == "PROPN":
        features[f"{prefix}.unnamed_propn"] = 1.0
    return features


def _cue_features(state: DocumentState, cue: Token) -> Features:
    lemma = cue.lemma_.lower()
    children = list(cue.children)
    features: Features = {
        f"cue.lemma={lemma}": 1.0,
        f"cue.dep={cue.dep_}": 1.0,
        f"cue.tag={cue.tag_}": 1.0,
        "cue.quote_weight": state.lexicon.weights.get(lemma, 0.0),
    }
    if any(c.dep_ == "neg" for c in children):
        features["cue.negated"] = 1.0
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in children):
        features["cue.modal"] = 1.0
    if cue.head.i != cue.i and cue.head.pos_ in ("VERB", "AUX"):
        features[f"cue.head_lemma_is_cue={state.lexicon.weights.get(cue.head.lemma_.lower(), 0) > 0}"] = 1.0
    return features


def reported_features(state: DocumentState, candidate: Reported) -> Features:
    """What decides whether a reported-speech candidate is an attribution with its speaker."""
    cue, speaker = candidate.cue, candidate.speaker
    construction = candidate.construction
    features: Features = {
        "bias.reported": 1.0,
        f"construction={construction}": 1.0,
        f"lemma={candidate.lemma}": 1.0,
        f"lemma+construction={candidate.lemma}|{construction}": 1.0,
        f"speaker_kind={candidate.speaker_kind}": 1.0,
        f"construction+kind={construction}|{candidate.speaker_kind}": 1.0,
    }
    features.update(_cue_features(state, cue))
    features.update(_speaker_features(state, speaker))
    content = state.doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    words = [t for t in content if not t.is_punct and not t.is_space] if content is not None else []
    features[f"content.words={_bucket(len(words))}"] = 1.0
    if words and content is not None:
        roots = [t for t in words if t.head.i < content.start or t.head.i >= content.end or t.head.i == t.i]
        root = roots[0] if roots else words[0]
        features[f"content.root_pos={root.pos_}"] = 1.0
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
        has_subject = any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in words)
        features[f"content.clause={has_verb and has_subject}"] = 1.0
        features[f"content.verb={has_verb}"] = 1.0
        inner_cues = [
            t
            for t in words
            if t.i != cue.i
            and t.lemma_.lower() in state.lexicon.weights
            and t.dep_ in CUE_LIKE_DEPS | {"ROOT"}
        ]
        if inner_cues:
            features["content.inner_cue"] = 1.0
    quoted = sum(
        min(e, candidate.end) - max(s, candidate.start)
        for s, e in state._quoted_overlapping(candidate.start, candidate.end)
    )
    share = quoted / max(candidate.end - candidate.start, 1)
    features[f"content.quoted={round(share * 4)}"] = 1.0
    features[f"cue_before_content={cue.idx < candidate.start}"] = 1.0
    features[f"speaker_before_cue={speaker.i < cue.i}"] = 1.0
    inside = candidate.start <= speaker.idx < candidate.end
    features[f"speaker_in_content={inside}"] = 1.0
    features[f"distance={_bucket(abs(speaker.i - cue.i))}"] = 1.0
    features[f"sentence_start={cue.i == cue.sent.start or speaker.i == cue.sent.start}"] = 1.0
    return features


def quotation_features(state: DocumentState, record: dict[str, Any], evidence: dict[str, Any]) -> Features:
    """What decides whether a quotation's speaker is right (with none: whether it is a quotation)."""
    speaker, cue = record["speaker"], record["cue"]
    words = len([w for w in record["text"].split() if any(c.isalnum() for c in w)])
    method = evidence.get("method", "none")
    features: Features = {
        "bias.quotation": 1.0,
        f"q.kind={record['kind']}": 1.0,
        f"q.method={method}": 1.0,
        f"q.words={_bucket(words)}": 1.0,
        f"q.depth={min(int(evidence.get('depth', 0)), 6)}": 1.0,
        f"q.closed={evidence.get('closed', True)}": 1.0,
        f"q.continues={evidence.get('continues', False)}": 1.0,
        f"q.has_speaker={speaker is not None}": 1.0,
        f"q.method+kind={method}|{record['kind']}": 1.0,
    }
    if cue is not None:
        token = _token_at(state, cue["start"])
        if token is not None:
            lemma = "according to" if token.lower_ == "according" else token.lemma_.lower()
            features[f"q.cue={lemma}"] = 1.0
            features["q.cue_weight"] = state.lexicon.weights.get(lemma, 0.0)
    else:
        features["q.no_cue"] = 1.0
    if speaker is not None:
        head = _token_at(state, speaker["end"] - 1)
        if head is not None:
            features.update(_speaker_features(state, head, "q.speaker"))
        features[f"q.speaker_entity={speaker['entity'] is not None}"] = 1.0
        after = speaker["start"] >= record["end"]
        gap = speaker["start"] - record["end"] if after else record["start"] - speaker["end"]
        features[f"q.speaker_after={after}"] = 1.0
        features[f"q.speaker_gap={_bucket(max(gap, 0))}"] = 1.0
        features[f"q.speaker_words={_bucket(len(speaker['text'].split()))}"] = 1.0
        if state._paragraph(speaker["start"]) != state._paragraph(record["start"]):
            features["q.speaker_other_paragraph"] = 1.0
    return features


def _token_at(state: DocumentState, offset: int) -> Token | None:
    span = state.doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
