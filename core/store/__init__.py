"""The document store (SQLite by default, PostgreSQL by URL): see ``presspipe.store.facade``.

Modules: ``facade`` (``Store``, ``open_store``, ``SCHEMES``), ``migrations`` (the schema) and
``frozen`` (the code its migrations run, frozen), ``sqlite`` and ``postgres`` (the backends
behind the abstract ``backend.Backend``), ``batches`` (the API's jobs), ``rows`` (document <-> row),
``queries`` (filters as SQL), ``cursors`` (page cursors), ``records`` (what the store returns).
"""

from presspipe.store.facade import PAGE_LIMIT_MAX, Store, open_store, sqlite_path
from presspipe.store.migrations import SCHEMA_VERSION
from presspipe.store.records import (
    Batch,
    Copies,
    Filters,
    IngestCounts,
    InvalidQuery,
    Page,
    PutResult,
    StoredSummary,
    StoreError,
)
from presspipe.store.rows import ingest_problem, normalise_name, normalise_published, text_problem

__all__ = [
    "PAGE_LIMIT_MAX",
    "SCHEMA_VERSION",
    "Batch",
    "Copies",
    "Filters",
    "IngestCounts",
    "InvalidQuery",
    "Page",
    "PutResult",
    "Store",
    "StoreError",
    "StoredSummary",
    "ingest_problem",
    "normalise_name",
    "normalise_published",
    "open_store",
    "sqlite_path",
    "text_problem",
]
