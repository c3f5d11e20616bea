"""Response models of the corpus routes (speakers, entities, profiles, quotes, outlets)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from presspipe.api.models import Paged


class SpeakerOut(BaseModel):
    """A speaker across the corpus."""

    key: str = Field(description="corpus key: label and name folded for case, accents and punctuation")
    name: str
    label: str
    documents: int = Field(description="documents it is quoted in")
    quotes: int = Field(description="quotes it is the speaker of")
    first: str | None = Field(description="the first publication date it is quoted on")
    last: str | None = Field(description="the last publication date it is quoted on")
    gender: Literal["female", "male", "unknown"] | None = Field(
        description="a PERSON's gender, the one most of its documents give it (honorifics, pronouns, given "
        "name: docs/steps/entities.md); 'unknown' without evidence; null for other labels"
    )
    role: (
        Literal["politician", "official", "spokesperson", "expert", "journalist", "public", "other"] | None
    ) = Field(
        description="its most frequent role over the documents that describe it (docs/steps/entities.md#roles), "
        "or null"
    )
    url: str = Field(description="its profile")


class SpeakerPage(Paged):
    items: list[SpeakerOut]


class EntityOut(BaseModel):
    """An entity across the corpus."""

    key: str = Field(description="corpus key: label and name folded for case, accents and punctuation")
    name: str
    label: str
    documents: int = Field(description="documents it is in")
    mentions: int = Field(description="mentions in those documents")
    quotes: int = Field(description="quotes it is the speaker of")
    first: str | None = Field(description="the first publication date it appears on")
    last: str | None = Field(description="the last publication date it appears on")
    gender: Literal["female", "male", "unknown"] | None = Field(
        description="a PERSON's gender, the one most of its documents give it (honorifics, pronouns, given "
        "name: docs/steps/entities.md); 'unknown' without evidence; null for other labels"
    )
    url: str = Field(description="its profile")


class EntityPage(Paged):
    items: list[EntityOut]


class QuoteSpeakerOut(BaseModel):
    text: str | None = Field(description="the speaker as the document writes it")
    name: str | None = Field(description="the speaker's corpus name, when the speaker is a named entity")
    key: str | None = Field(description="the speaker's corpus key, or null")


class QuoteDocumentOut(BaseModel):
    id: str
    pipeline: str
    title: str | None
    published: str | None
    uri: str | None
    outlet: str | None
    url: str


class FoundQuoteOut(BaseModel):
    text: str
    kind: str
    speaker: QuoteSpeakerOut
    document: QuoteDocumentOut


class QuotePage(Paged):
    items: list[FoundQuoteOut]


class PeriodOut(BaseModel):
    period: str = Field(description="YYYY-MM-DD (day), YYYY-Www (ISO week), YYYY-MM (month) or YYYY (year)")
    start: str = Field(description="the period's first day")
    documents: int
    quotes: int = Field(description="quotes it is the speaker of")
    gap_before: int = Field(
        description="empty periods left out between the previous entry and this one (a break: more than 31 days, 12 weeks, months or years in a row)"
    )


class CooccurringOut(BaseModel):
    key: str
    name: str
    label: str
    documents: int = Field(description="documents shared with the profiled entity")
    url: str


class ProfileOut(BaseModel):
    key: str
    name: str
    label: str
    documents: int
    mentions: int
    quotes: int
    first: str | None
    last: str | None
    gender: Literal["female", "male", "unknown"] | None = Field(
        description="a PERSON's gender, the one most of its documents give it (honorifics, pronouns, given "
        "name: docs/steps/entities.md); 'unknown' without evidence; null for other labels"
    )
    names: list[str] = Field(description="keys of partial names ('person:obama') resolved to this entity")
    period: str = Field(description="the timeline's period: the one asked for, or the one 'auto' chose")
    undated: int = Field(description="its documents with no publication date, which the timeline leaves out")
    timeline: list[PeriodOut] = Field(
        description="one entry per period from the first to the last, empty ones too, except runs of more than "
        "31 empty days or 12 empty weeks, months or years (the next entry's gap_before counts them) and, past 400 entries, every empty period"
    )
    cooccurring: list[CooccurringOut] = Field(
        description="entities in the most shared documents (among its newest 200 documents)"
    )
    latest_quotes: list[FoundQuoteOut] = Field(description="its latest quotes, newest document first")


class OutletOut(BaseModel):
    outlet: str = Field(description="the source's domain (no www.), or meta.outlet / meta.site")
    documents: int
    quotes: int


class OutletPage(Paged):
    items: list[OutletOut]


class GenderCountsOut(BaseModel):
    """Quotes and distinct speakers by the speaker's gender."""

    quotes: dict[str, int] = Field(description="quotes whose speaker is female, male, unknown")
    speakers: dict[str, int] = Field(description="distinct speakers (corpus keys) female, male, unknown")
    female_share: float | None = Field(
        description="female / (female + male) of the quotes, 4 places; null without a quote of known gender"
    )
    female_speaker_share: float | None = Field(description="the same share of distinct speakers")


class GenderOutletOut(GenderCountsOut):
    outlet: str


class GenderMonthOut(GenderCountsOut):
    month: str = Field(description="YYYY-MM of the documents' publication date")


class GenderOut(GenderCountsOut):
    """``GET /v1/gender``: in all, per outlet (most quotes first) and per month (in order)."""

    outlets: list[GenderOutletOut]
    months: list[GenderMonthOut]
