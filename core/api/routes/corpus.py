"""Across the corpus: ``/v1/speakers``, ``/v1/entities``, ``/v1/entities/{key}``, ``/v1/quotes``, ``/v1/outlets``.

Thin over ``Store.corpus`` (``presspipe.store.corpus_queries``). The filter parameters are
declared once here (``speaker_filters``, ``entity_filters``) and shared with the corpus exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request

from presspipe.api.auth import require_read
from presspipe.api.corpus_models import (
    CooccurringOut,
    EntityOut,
    EntityPage,
    FoundQuoteOut,
    GenderMonthOut,
    GenderOut,
    GenderOutletOut,
    OutletOut,
    OutletPage,
    PeriodOut,
    ProfileOut,
    QuoteDocumentOut,
    QuotePage,
    QuoteSpeakerOut,
    SpeakerOut,
    SpeakerPage,
)
from presspipe.api.dependencies import COPIES_COUNTED, Svc, document_url, next_page_url, parse_when
from presspipe.api.errors import ApiError, responses
from presspipe.errors import echo
from presspipe.store.corpus_queries import CorpusFilters, FoundQuote, GenderSplit, Outlet, Ranked, Ranking
from presspipe.store.timeline import PeriodChoice

corpus = APIRouter(prefix="/v1", tags=["corpus"])

Kind = Literal["direct", "partial", "indirect"]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
NAME = "whole words of the name in any order, case and accents ('zelenskyy'), or a corpus key"
FROM = "YYYY-MM-DD or an ISO date-time: published at or after"
TO = "YYYY-MM-DD (the whole day) or an ISO date-time: published at or before"


async def speaker_filters(
    speaker: Annotated[str | None, Query(description=f"the speaker: {NAME}")] = None,
    q: Annotated[str | None, Query(description="words that must all occur in the quote")] = None,
    kind: Annotated[Kind | None, Query(description="the kind of quote")] = None,
    gender: Annotated[
        Literal["female", "male", "unknown"] | None,
        Query(description="the speaker's gender (a PERSON's; 'unknown': no evidence)"),
    ] = None,
    role: Annotated[
        Literal["politician", "official", "spokesperson", "expert", "journalist", "public", "other"] | None,
        Query(description="the speaker's most frequent role"),
    ] = None,
    outlet: Annotated[str | None, Query(description="the outlet's domain ('bbc.co.uk')")] = None,
    pipeline: Annotated[str | None, Query(description="pipeline name")] = None,
    published_from: Annotated[str | None, Query(description=FROM)] = None,
    published_to: Annotated[str | None, Query(description=TO)] = None,
    copies: Annotated[Literal["include", "exclude"], COPIES_COUNTED] = "exclude",
) -> CorpusFilters:
    """Filters of quotes and speakers: ``q`` is words of the quote."""
    return CorpusFilters(
        copies=copies == "include" or None,
        speaker=speaker,
        q=q,
        kind=kind,
        gender=gender,
        role=role,
        outlet=outlet,
        pipeline=pipeline,
        published_from=parse_when(published_from, "published_from"),
        published_to=parse_when(published_to, "published_to"),
    )


async def entity_filters(
    entity: Annotated[str | None, Query(description=f"the entity: {NAME}")] = None,
    label: Annotated[str | None, Query(description="entity label (PERSON, ORG, GPE, ...)")] = None,
    q: Annotated[
        str | None, Query(description="words that must all occur in the document's title or text")
    ] = None,
    outlet: Annotated[str | None, Query(description="the outlet's domain ('bbc.co.uk')")] = None,
    pipeline: Annotated[str | None, Query(description="pipeline name")] = None,
    published_from: Annotated[str | None, Query(description=FROM)] = None,
    published_to: Annotated[str | None, Query(description=TO)] = None,
    copies: Annotated[Literal["include", "exclude"], COPIES_COUNTED] = "exclude",
) -> CorpusFilters:
    """Filters of entities and outlets: ``q`` is words of the document."""
    return CorpusFilters(
        copies=copies == "include" or None,
        entity=entity,
        label=label,
        q=q,
        outlet=outlet,
        pipeline=pipeline,
        published_from=parse_when(published_from, "published_from"),
        published_to=parse_when(published_to, "published_to"),
    )


SpeakerFilters = Annotated[CorpusFilters, Depends(speaker_filters)]
EntityFilters = Annotated[CorpusFilters, Depends(entity_filters)]


def entity_url(key: str) -> str:
    return f"/v1/entities/{quote(key, safe=':')}"


def _outlet_out(item: Outlet) -> OutletOut:
    return OutletOut(**item.__dict__)


def speaker_out(item: Ranked) -> SpeakerOut:
    return SpeakerOut(**item.__dict__, url=entity_url(item.key))  # pydantic drops the uncounted mentions


def entity_out(item: Ranked) -> EntityOut:
    return EntityOut(**item.__dict__, url=entity_url(item.key))


def quote_out(item: FoundQuote) -> FoundQuoteOut:
    return FoundQuoteOut(
        text=item.text,
        kind=item.kind,
        speaker=QuoteSpeakerOut(text=item.speaker_text, name=item.speaker_name, key=item.speaker_key),
        document=QuoteDocumentOut(
            id=item.id,
            pipeline=item.pipeline,
            title=item.title,
            published=item.published,
            uri=item.uri,
            outlet=item.outlet,
            url=document_url(item.id, item.pipeline),
        ),
    )


def _paged(request: Request, page: Ranking, convert: Callable[[Any], Any]) -> dict[str, Any]:
    """A page's fields as every listing answers them: its items converted, the cursor, the next URL."""
    return {
        "items": [convert(i) for i in page.items],
        "next_cursor": page.next_cursor,
        "next": next_page_url(request, page.next_cursor),
    }


@corpus.get(
    "/speakers",
    response_model=SpeakerPage,
    dependencies=[Depends(require_read)],
    summary="Named speakers across the corpus, most quoted first",
    responses=responses(401, 422, 503),
)
def list_speakers(
    request: Request, svc: Svc, filters: SpeakerFilters, limit: Limit = 20, cursor: Cursor = None
) -> SpeakerPage:
    page = svc.store.corpus.speakers(filters, limit=limit, cursor=cursor)
    return SpeakerPage(**_paged(request, page, speaker_out))


@corpus.get(
    "/entities",
    response_model=EntityPage,
    dependencies=[Depends(require_read)],
    summary="Entities across the corpus, in the most documents first (then the most mentioned)",
    responses=responses(401, 422, 503),
)
def list_entities(
    request: Request, svc: Svc, filters: EntityFilters, limit: Limit = 20, cursor: Cursor = None
) -> EntityPage:
    page = svc.store.corpus.entities(filters, limit=limit, cursor=cursor)
    return EntityPage(**_paged(request, page, entity_out))


@corpus.get(
    "/entities/{key}",
    response_model=ProfileOut,
    dependencies=[Depends(require_read)],
    summary="One entity across the corpus: counts, timeline, co-occurring entities, latest quotes",
    responses=responses(401, 404, 422, 503),
)
def get_entity(
    key: str,
    svc: Svc,
    period: Annotated[
        PeriodChoice,
        Query(
            description="the timeline's period; auto: the finest that draws at most 60 bars and 3 breaks, "
            "4 bars or more between breaks"
        ),
    ] = "month",
    published_from: Annotated[str | None, Query(description=FROM)] = None,
    published_to: Annotated[str | None, Query(description=TO)] = None,
    quotes: Annotated[int, Query(ge=0, le=100, description="how many of its latest quotes")] = 5,
    copies: Annotated[Literal["include", "exclude"], COPIES_COUNTED] = "exclude",
) -> ProfileOut:
    dates = CorpusFilters(
        copies=copies == "include" or None,
        published_from=parse_when(published_from, "published_from"),
        published_to=parse_when(published_to, "published_to"),
    )
    profile = svc.store.corpus.profile(key, dates, period=period, quotes=quotes)
    if profile is None:
        raise ApiError(
            404,
            "not_found",
            f"no entity with the key '{echo(key)}' in the store (keys look like 'person:ada-lovelace')",
        )
    return ProfileOut(
        **profile.entity.__dict__,
        names=profile.names,
        period=profile.period,
        undated=profile.undated,
        timeline=[PeriodOut(**p.__dict__) for p in profile.timeline],
        cooccurring=[
            CooccurringOut(
                key=c.key, name=c.name, label=c.label, documents=c.documents, url=entity_url(c.key)
            )
            for c in profile.cooccurring
        ],
        latest_quotes=[quote_out(q) for q in profile.quotes],
    )


@corpus.get(
    "/quotes",
    response_model=QuotePage,
    dependencies=[Depends(require_read)],
    summary="Quotes across the corpus by speaker, words, kind, outlet and dates, newest document first",
    responses=responses(401, 422, 503),
)
def list_quotes(
    request: Request, svc: Svc, filters: SpeakerFilters, limit: Limit = 20, cursor: Cursor = None
) -> QuotePage:
    page = svc.store.corpus.quotes(filters, limit=limit, cursor=cursor)
    return QuotePage(**_paged(request, page, quote_out))


@corpus.get(
    "/outlets",
    response_model=OutletPage,
    dependencies=[Depends(require_read)],
    summary="Outlets (source domains), most documents first, with their quotes",
    responses=responses(401, 422, 503),
)
def list_outlets(
    request: Request, svc: Svc, filters: EntityFilters, limit: Limit = 20, cursor: Cursor = None
) -> OutletPage:
    page = svc.store.corpus.outlets(filters, limit=limit, cursor=cursor)
    return OutletPage(**_paged(request, page, _outlet_out))


def _share(counts: dict[str, int]) -> float | None:
    known = counts["female"] + counts["male"]
    return round(counts["female"] / known, 4) if known else None


def _gender_counts(split: GenderSplit) -> dict[str, Any]:
    return {
        "quotes": split.quotes,
        "speakers": split.speakers,
        "female_share": _share(split.quotes),
        "female_speaker_share": _share(split.speakers),
    }


@corpus.get(
    "/gender",
    response_model=GenderOut,
    dependencies=[Depends(require_read)],
    summary="Quotes and distinct speakers by the speaker's gender, in all, per outlet and per month",
    responses=responses(401, 422, 503),
)
def gender_counts(svc: Svc, filters: SpeakerFilters) -> GenderOut:
    counts = svc.store.corpus.gender(filters)
    return GenderOut(
        **_gender_counts(counts.total),
        outlets=[GenderOutletOut(outlet=o, **_gender_counts(c)) for o, c in counts.outlets],
        months=[GenderMonthOut(month=m, **_gender_counts(c)) for m, c in counts.months],
    )
