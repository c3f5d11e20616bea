"""What a listing selects, as SQL: ``Filters`` -> ``FROM ... WHERE ...``, its parameters, its order."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from presspipe.store.records import Filters, InvalidQuery
from presspipe.store.rows import checked, normalise_name

if TYPE_CHECKING:
    from presspipe.store.backend import Backend

WORD = re.compile(r"\w+", re.UNICODE)


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
        words = WORD.findall(checked(filters.q, "q"))
        if not words:
            raise InvalidQuery("the text search 'q' has no words to look for")
        clause, value = backend.search_clause(words)
        clauses.append(clause)
        params.append(value)
    if filters.published_from is not None:
        clauses.append("published >= ?")
        params.append(_bound(filters.published_from, end=False))
    if filters.published_to is not None:
        clauses.append(
            "published < ?" if not isinstance(filters.published_to, datetime) else "published <= ?"
        )
        params.append(_bound(filters.published_to, end=True))
    if before is not None:
        clauses.append(f"{order} < ?")
        params.append(before)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return f" FROM {source}{where}", tuple(params), order


def _bound(value: date | datetime, *, end: bool) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    day = value + timedelta(days=1) if end else value
    return day.strftime("%Y-%m-%dT00:00:00")
