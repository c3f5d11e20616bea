"""schemathesis against the app's own OpenAPI schema, in-process: no server error, no undocumented status.

Every operation gets a bounded number of generated requests (valid and invalid ones), sent
with the write token so bodies reach the pipeline. A few documents are stored first, so the
reads find something.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from presspipe.api import Settings, create_app
from presspipe.store import open_store

from .test_store import make_document

TOKEN = "schemathesis-token"
SMALL = """name: small
steps:
  - use: clean.text
  - use: entities.spacy
  - use: quotes.extract
  - use: summarize.extractive
"""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25


def _app():  # type: ignore[no-untyped-def]
    directory = Path(tempfile.mkdtemp(prefix="presspipe-schemathesis-"))
    atexit.register(shutil.rmtree, directory, True)
    (directory / "small.yaml").write_text(SMALL, encoding="utf-8")
    store = open_store(directory / "store.db")
    store.put_many([make_document(n) for n in range(3)])
    return create_app(
        Settings(
            store=str(directory / "store.db"), pipelines_dir=directory, token=TOKEN, max_body_bytes=64_000
        ),
        store=store,
    )


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# Valid requests and invalid ones (wrong types, missing fields, bad media types), NUL bytes allowed.
schema.config.generation.update(modes=list(schemathesis.GenerationMode), allow_x00=True)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_request_as_its_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)
