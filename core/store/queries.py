"""What a listing selects, as SQL: ``Filters`` -> ``FROM ... WHERE ...``, its parameters, its order."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from presspipe.store.corpus import KEY_PATTERN, name_words
from presspipe.store.records import Filters, InvalidQuery
from presspipe.store.rows import checked, normalise_name, utc_naive
from presspipe.store.search import words as search_words

if TYPE_CHECKING:
    from presspipe.store.backend import Backend


def selection(
    backend: Backend, filters: Filters, before: int | None, *, since: int | None = None
) -> tuple[str, tuple[Any, ...], str]:
    """``FROM ... WHERE ...`` for ``filters`` (rows below ``before``; rows from ``since`` up), its
    parameters, the column to order by."""
    clauses: list[str] = []
    params: list[Any] = []
    # A name matches whole words of a corpus name (any case, accents, order), or a name as written.
    for value, field, names_table, corpus_table in (
        (filters.entity, "entity", "pp_entity_names", "pp_doc_entities"),
        (filters.speaker, "speaker", "pp_speaker_names", "pp_quotes"),
    ):
        if value is None:
            continue
        matches, matched = name_clause("key", checked(value, field), field)
        clauses.append(
            f"(seq IN (SELECT doc FROM {corpus_table} WHERE {matches}) "
            f"OR seq IN (SELECT doc FROM {names_table} WHERE name = ?))"
        )
        params.extend([*matched, normalise_name(value)])
    if filters.pipeline is not None:
        clauses.append("pipeline = ?")
        params.append(checked(filters.pipeline, "pipeline"))
    if filters.q is not None:
        words = list(dict.fromkeys(search_words(checked(filters.q, "q"))))
        if not words:
            raise InvalidQuery("the text search 'q' has no words to look for")
        clause, value = backend.search_clause(words)
        clauses.append(clause)
        params.append(value)
    if filters.published_from is not None:
        clauses.append("published >= ?")
        params.append(published_bound(filters.published_from, end=False))
    if filters.published_to is not None:
        clauses.append("published <= ?")
        params.append(published_bound(filters.published_to, end=True))
    if filters.undated:
        clauses.append("published IS NULL")
    if not filters.copies:
        clauses.append("copy_of IS NULL")
    if before is not None:
        clauses.append("seq < ?")
        params.append(before)
    if since is not None:
        clauses.append("seq >= ?")
        params.append(since)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return f" FROM pp_documents{where}", tuple(params), "seq"


def name_clause(column: str, value: str, field: str) -> tuple[str, list[str]]:
    """SQL for ``column`` (a corpus key) matching ``value``: a corpus key itself, or every word of it.

    "zelenskyy", "ZELENSKYY" and "volodymyr zelenskyy" all find ``person:volodymyr-zelenskyy``.
    """
    value = value.strip()
    if KEY_PATTERN.fullmatch(value):
        return f"{column} = ?", [value]
    words = name_words(value)
    if not words:
        raise InvalidQuery(f"the '{field}' filter has no letters or digits to look for")
    keys = " INTERSECT ".join("SELECT key FROM pp_name_words WHERE word = ?" for _ in words)
    return f"{column} IN ({keys})", words


def published_bound(value: date | datetime, *, end: bool) -> str:
    """A bound as stored dates are written (seconds, UTC); a date ends at 23:59:59. A zoned time
    beyond UTC's range (``0001-01-01T00:00:00+01:00``) is clamped to the range's end."""
    if not isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT23:59:59" if end else "%Y-%m-%dT00:00:00")
    try:
        value = utc_naive(value)
    except OverflowError:
        value = datetime.min if value.year == 1 else datetime.max
    return value.strftime("%Y-%m-%dT%H:%M:%S")
