"""What corpus questions select, as SQL: ``CorpusFilters`` -> ``AND ...`` clauses and their parameters."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from presspipe.store.queries import name_clause, published_bound, selection
from presspipe.store.records import Filters, InvalidQuery
from presspipe.store.rows import checked
from presspipe.store.search import words as search_words

if TYPE_CHECKING:
    from presspipe.store.backend import Backend


@dataclass(frozen=True)
class CorpusFilters:
    """What corpus questions select. Empty fields select all; not every question reads every field."""

    q: str | None = None
    """Words: in the quote (speakers, quotes) or in the document's title and text (entities)."""
    speaker: str | None = None
    """A speaker's name, any part of it, any case and accents, or a corpus key."""
    entity: str | None = None
    """An entity's name, as ``speaker``."""
    label: str | None = None
    kind: str | None = None
    outlet: str | None = None
    pipeline: str | None = None
    published_from: date | datetime | None = None
    published_to: date | datetime | None = None
    gender: str | None = None
    """A speaker's gender: ``female``, ``male`` or ``unknown`` (see ``gender_where``)."""
    role: str | None = None
    """A speaker's most frequent role class (see ``role_where``)."""
    copies: bool | None = None
    """True: count near-copies of earlier documents too (``store.copies``); None (the default):
    originals only, which is what the totals kept on write hold."""
    within: Filters | None = None
    """Only the documents a listing with these filters selects (``Store.list_documents``): the
    home page's facets count what its list shows."""


def only(filters: CorpusFilters, *names: str) -> bool:
    """Whether no field of ``filters`` but ``names`` is set (the corpus totals can answer)."""
    return all(getattr(filters, f.name) is None for f in fields(filters) if f.name not in names)


def name_filter(filters: CorpusFilters, field: str, column: str) -> tuple[str, list[Any]]:
    value = getattr(filters, field)
    if value is None:
        return "", []
    clause, params = name_clause(column, checked(value, field), field)
    return f" AND {clause}", list(params)


def whole_days(filters: CorpusFilters, *names: str) -> tuple[str, list[str]] | None:
    """``AND day ...`` over ``pp_corpus_days`` when the filters are dates (whole days) and ``names`` only."""
    if not only(filters, *names, "published_from", "published_to"):
        return None
    if isinstance(filters.published_from, datetime) or isinstance(filters.published_to, datetime):
        return None
    return day_bounds(filters)


def day_bounds(filters: CorpusFilters) -> tuple[str, list[str]]:
    """``AND day ...`` for the days the date filters touch (a date-time counts its whole day)."""
    where, params = "", []
    if filters.published_from is not None:
        where += " AND day >= ?"
        params.append(filters.published_from.isoformat()[:10])
    if filters.published_to is not None:
        where += " AND day <= ?"
        params.append(filters.published_to.isoformat()[:10])
    return where, params


def dates_where(filters: CorpusFilters, prefix: str = "") -> tuple[str, list[Any]]:
    where, params = "", []
    if filters.published_from is not None:
        where += f" AND {prefix}published >= ?"
        params.append(published_bound(filters.published_from, end=False))
    if filters.published_to is not None:
        where += f" AND {prefix}published {'<=' if isinstance(filters.published_to, datetime) else '<'} ?"
        params.append(published_bound(filters.published_to, end=True))
    return where, params


def common_filters(
    filters: CorpusFilters,
    start: str,
    doc_column: str,
    backend: Backend,
    prefix: str = "",
    *,
    words_in_document: bool = True,
) -> tuple[str, list[Any]]:
    """Outlet, pipeline, dates, the listing's selection (``within``), (``words_in_document``)
    document words and, unless ``copies``, originals only, as ``start AND ...`` (``doc_column``
    ``seq``: over ``pp_documents``)."""
    where, params = dates_where(filters, prefix)
    if not filters.copies:
        where += f" AND {prefix}copy_of IS NULL" if doc_column == "seq" else f" AND {prefix}copy = 0"
    for name in ("outlet", "pipeline"):
        value = getattr(filters, name)
        if value is not None:
            where += f" AND {prefix}{name} = ?"
            text = checked(value, name)
            params.append(text.strip().casefold() if name == "outlet" else text)
    if filters.within is not None:
        selected, more = selection(backend, filters.within, None)[:2]
        where += f" AND {doc_column} IN (SELECT seq{selected})"
        params.extend(more)
    if words_in_document and filters.q is not None:
        words = search_words(checked(filters.q, "q"))
        if not words:
            raise InvalidQuery("the text search 'q' has no words to look for")
        clause, value = backend.search_clause(words)
        where += f" AND {doc_column} IN (SELECT seq FROM pp_documents WHERE {clause})"
        params.append(value)
    return start + where, params


GENDERS = ("female", "male", "unknown")


def gender_of(table: str) -> str:
    """SQL for the gender of a ``pp_corpus`` row ``table``: the one most of its documents give a
    PERSON (``corpus.key_gender``), 'unknown' for a PERSON with none or a tie, NULL for other labels."""
    return (
        f"CASE WHEN {table}.label <> 'PERSON' THEN NULL WHEN {table}.male > {table}.female THEN 'male' "
        f"WHEN {table}.female > {table}.male THEN 'female' ELSE 'unknown' END"
    )


def gender_where(filters: CorpusFilters, column: str) -> tuple[str, list[Any]]:
    """``AND column IN (keys of that gender)`` for a ``gender`` filter, else nothing."""
    if filters.gender is None:
        return "", []
    if filters.gender not in GENDERS:
        raise InvalidQuery(f"'gender' must be one of {', '.join(GENDERS)}, not {filters.gender!r}")
    return f" AND {column} IN (SELECT c.key FROM pp_corpus AS c WHERE {gender_of('c')} = ?)", [filters.gender]


ROLES = ("politician", "official", "spokesperson", "expert", "journalist", "public", "other")


def role_of(key: str) -> str:
    """SQL for the most frequent role of the key in column ``key`` (``pp_roles``; ties: alphabetical)."""
    return (
        f"(SELECT p.role FROM pp_roles AS p WHERE p.key = {key} AND p.documents > 0 "
        "ORDER BY p.documents DESC, p.role LIMIT 1)"
    )


def role_where(filters: CorpusFilters, column: str) -> tuple[str, list[Any]]:
    """``AND column IN (keys whose most frequent role is filters.role)``, else nothing."""
    if filters.role is None:
        return "", []
    if filters.role not in ROLES:
        raise InvalidQuery(f"'role' must be one of {', '.join(ROLES)}, not {filters.role!r}")
    return (
        f" AND {column} IN (SELECT r.key FROM pp_roles AS r WHERE r.role = ? AND {role_of('r.key')} = ?)",
        [filters.role, filters.role],
    )
