"""What a listing selects, as SQL: ``Filters`` -> ``FROM ... WHERE ...``, its parameters, its order."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from presspipe.store.records import Filters, InvalidQuery
from presspipe.store.rows import checked, normalise_name, utc_naive
from presspipe.store.search import words as search_words

if TYPE_CHECKING:
    from presspipe.store.backend import Backend


def selection(backend: Backend, filters: Filters, before: int | None) -> tuple[str, tuple[Any, ...], str]:
    """``FROM ... WHERE ...`` for ``filters`` (after row ``before``), its parameters, the column to order by.

    An entity (or else a speaker) filter drives the query: its index holds the documents of
    a name in ``doc`` order, so a page of a common name reads a page of rows, not all of them.
    """
    source = "pp_documents"
    order = "seq"
    clauses: list[str] = []
    params: list[Any] = []
    names = [
        (table, normalise_name(checked(value, field)))
        for table, value, field in (
            ("pp_entity_names", filters.entity, "entity"),
            ("pp_speaker_names", filters.speaker, "speaker"),
        )
        if value is not None
    ]
    if names:
        table, name = names.pop(0)
        source = f"pp_documents JOIN {table} AS k ON k.doc = pp_documents.seq AND k.name = ?"
        order = "k.doc"
        params.append(name)
    for table, name in names:
        clauses.append(f"EXISTS (SELECT 1 FROM {table} AS n WHERE n.name = ? AND n.doc = pp_documents.seq)")
        params.append(name)
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
        params.append(_bound(filters.published_from, end=False))
    if filters.published_to is not None:
        clauses.append("published <= ?")
        params.append(_bound(filters.published_to, end=True))
    if before is not None:
        clauses.append(f"{order} < ?")
        params.append(before)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return f" FROM {source}{where}", tuple(params), order


def _bound(value: date | datetime, *, end: bool) -> str:
    """A bound as stored dates are written (seconds, UTC); a date ends at 23:59:59. A zoned time
    beyond UTC's range (``0001-01-01T00:00:00+01:00``) is clamped to the range's end."""
    if not isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT23:59:59" if end else "%Y-%m-%dT00:00:00")
    try:
        value = utc_naive(value)
    except OverflowError:
        value = datetime.min if value.year == 1 else datetime.max
    return value.strftime("%Y-%m-%dT%H:%M:%S")
