"""The store's parts that are one backend's alone, and the shape of the store's code.

What every backend does alike is the contract, ``store_contract.py``, run on each backend.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from presspipe.store import SCHEMA_VERSION, StoreError, normalise_published, open_store

from .store_contract import (
    POSTGRES_URL,
    SKIP_POSTGRES,
    make_document,
    postgres_schema_url,
    store,
    store_url,
)

__all__ = ["make_document", "store", "store_url"]  # the fixtures other modules take from here


def test_a_bulk_load_leaves_postgresql_vacuumed_and_analyzed() -> None:
    """Without statistics PostgreSQL reads whole tables for a profile, and without VACUUM the count
    rows every document updates grow dead versions (the server may run no autovacuum)."""
    if POSTGRES_URL is None:
        pytest.skip(SKIP_POSTGRES)
    import psycopg

    for url in postgres_schema_url():
        with open_store(url) as store:
            assert store.ingest(make_document(n) for n in range(80)).stored == 80
        with psycopg.connect(url, autocommit=True) as conn:
            done = conn.execute(
                "SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                "WHERE schemaname = current_schema()"
            ).fetchall()
        assert {"pp_corpus", "pp_corpus_days"} <= {name for name, vacuumed, _ in done if vacuumed}
        assert {"pp_documents", "pp_doc_entities", "pp_entity_names"} <= {
            name for name, _, analyzed in done if analyzed
        }


def test_sqlite_store_is_one_file_in_wal_mode(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/sub/s.db") as store:
        mode = store._db.query_one("PRAGMA journal_mode")[0]
    assert mode == "wal" and (tmp_path / "sub" / "s.db").exists()
    with pytest.raises(StoreError, match="unknown store URL"):
        open_store("mysql://x")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-06T07:03:00", "2026-01-06T07:03:00"),
        ("2026-01-06", "2026-01-06T00:00:00"),
        ("2026-01-06T07:03:00+01:00", "2026-01-06T06:03:00"),
        ("Jan 6", None),
        (None, None),
    ],
)
def test_published_dates_are_kept_sortable(value: str | None, expected: str | None) -> None:
    assert normalise_published(value) == expected


# ---------------------------------------------------------------------- the store's code


def test_a_backend_that_leaves_a_method_out_cannot_be_made() -> None:
    from presspipe.store.backend import Backend
    from presspipe.store.sqlite import SQLite

    class HalfDone(Backend):
        dialect = "half"

        def _connect(self) -> None:
            return None

    with pytest.raises(TypeError, match="abstract method"):
        HalfDone()  # type: ignore[abstract]
    # What a dialect must decide is abstract, never a silent default.
    assert {"write", "maintain", "lock_key", "lock_migrations", "insert_document", "index_search"} <= set(
        Backend.__abstractmethods__
    )
    assert not SQLite.__abstractmethods__


def test_every_scheme_opens_a_backend_with_migrations_and_an_unknown_one_is_named() -> None:
    from presspipe.store.facade import SCHEMES
    from presspipe.store.migrations import MIGRATIONS

    assert {"sqlite", "postgresql"} <= set(SCHEMES)
    assert {
        backend.dialect
        for backend in (SCHEMES["sqlite"], SCHEMES["postgresql"])
        if hasattr(backend, "dialect")
    } <= set(MIGRATIONS)
    with pytest.raises(StoreError, match=r"unknown store URL 'mysql://x'.*sqlite://.*postgresql://"):
        open_store("mysql://x")


def test_migrations_import_no_live_code() -> None:
    """A shipped migration must upgrade an old store the same way whatever later code becomes:
    the migrations import only the frozen copy of what they run (and the records they raise)."""
    root = Path(__file__).resolve().parent.parent / "core" / "store"
    for module in ("migrations.py", "frozen.py", "frozen_fold.py"):
        tree = ast.parse((root / module).read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("presspipe")
        }
        allowed = {
            "presspipe.store.frozen",
            "presspipe.store.frozen_fold",
            "presspipe.store.records",
            "presspipe.store.backend",
        }
        assert imported <= allowed, f"{module} imports live code: {sorted(imported - allowed)}"


def test_schema_version_is_the_number_of_migrations() -> None:
    from presspipe.store.migrations import MIGRATIONS

    assert {len(steps) for steps in MIGRATIONS.values()} == {SCHEMA_VERSION}
