"""A test kit for plugin authors (as ``haystack.testing`` and pytest's ``pytester``): run a step or a
pipeline on documents, build a document, check an output against the schema, start a test server.

::

    from presspipe.testing import assert_valid, make_document, run_pipeline, run_step

    [document] = run_step("wordcount.count", [make_document("A tiny test")], {"min_length": 4})
    assert document["wordcount"] == 1
    assert_valid(document, steps=["wordcount.count"])

Each function takes the ``registry`` to find steps in; by default the installed plugins
(``load_registry()``, so ``PRESSPIPE_PLUGINS`` applies). A plugin that is not installed is
tested with ``load_registry(extra={"mine": my_module})``. Steps are built as a pipeline builds
them: the config checked against the step's schema and its defaults filled in. Importing this
module imports no spaCy, FastAPI or uvicorn; ``serve`` imports the API when it is called.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from presspipe.analysis import RunContext
from presspipe.document import Document, new_document
from presspipe.pipeline import Pipeline, check_step, load_pipeline, parse_pipeline
from presspipe.registry import Registry, load_registry
from presspipe.runner import Runner
from presspipe.specs import Step
from presspipe.validate import DocumentChecker, document_schema

if TYPE_CHECKING:
    from presspipe.store import Store

__all__ = [
    "assert_valid",
    "build_step",
    "document_problems",
    "make_document",
    "run_pipeline",
    "run_step",
    "serve",
]

SERVER_START_SECONDS = 30.0


def build_step(
    name: str, config: Mapping[str, Any] | None = None, *, registry: Registry | None = None
) -> Step:
    """The step ``name`` built as a pipeline builds it: ``config`` checked against the step's config
    schema, its defaults filled in. Raises ``PresspipeError`` (E003 an unknown step, with the closest
    names; E004 a bad option, naming the field) as the pipeline loader does."""
    registry = registry or load_registry()
    return check_step(name, dict(config or {}), registry, f"build_step({name!r})").build()


def run_step(
    name: str,
    documents: Iterable[Document | str],
    config: Mapping[str, Any] | None = None,
    *,
    registry: Registry | None = None,
    context: RunContext | None = None,
) -> list[Document]:
    """Call the step ``name`` once on ``documents`` (one batch; a text becomes ``make_document(text)``)
    and return what it returned.

    The step is called directly, as a unit test wants it: what it raises is raised, and the output
    is not checked (``assert_valid`` does that). Pass one ``context`` to several calls to share the
    parse, as the steps of a pipeline do. ``run_pipeline`` runs steps as ``presspipe run`` does.
    """
    step = build_step(name, config, registry=registry)
    return list(step(_as_documents(documents), context or RunContext()))


def run_pipeline(
    pipeline: str | Path | Mapping[str, Any],
    documents: Iterable[Document | str],
    *,
    registry: Registry | None = None,
    batch_size: int = 32,
) -> list[Document]:
    """Run a pipeline on ``documents`` as ``presspipe run`` does, in this process, and return them.

    ``pipeline`` is a YAML file path, an installed pipeline's name (``"news"``) or the YAML's content
    as a dict (``{"name": "t", "steps": [{"use": "clean.text"}]}``), checked as a file is. Each
    document gets its provenance and is checked against the pipeline's schema; a step that raises
    fails only the documents it raised on (their ``errors`` say which step and why).
    """
    registry = registry or load_registry()
    loaded = _pipeline(pipeline, registry)
    return list(Runner(loaded, registry).run(_as_documents(documents), batch_size=batch_size))


def make_document(
    text: str | None = None,
    *,
    html: str | None = None,
    meta: Mapping[str, Any] | None = None,
    id: str | None = None,
    uri: str | None = None,
    **keys: Any,
) -> Document:
    """A valid raw document from ``text`` (or ``html``), as a source makes it, with ``keys`` added
    (``entities=[...]`` for a step that reads them, or a plugin's own key). Raises ``ValueError``
    naming each problem when the result is not valid: a core key against the document schema, and
    every span (a ``text`` that is not the text it covers). A plugin's own keys are checked for
    their spans only; ``assert_valid(document, steps=[...])`` checks them against the steps' schemas.
    """
    document = new_document(text=text, html=html, id=id, uri=uri, meta=dict(meta or {}))
    document.update(keys)
    core = document_schema()["properties"]
    problems = DocumentChecker({key: {} for key in document if key not in core}).problems(document)
    if problems:
        raise ValueError(f"not a valid document: {'; '.join(problems)}")
    return document


def document_problems(
    document: Document, steps: Sequence[str] = (), *, registry: Registry | None = None
) -> list[str]:
    """What is wrong with ``document`` against the document schema plus the schema fragments
    (``StepSpec.adds``) of ``steps``, and the span invariant: one message per problem, naming the
    field (``words/0/text: ...``); empty when it is valid. This is the check ``presspipe run``
    makes of every document it writes."""
    adds: dict[str, Any] = {}
    if steps:
        registry = registry or load_registry()
        for name in steps:
            adds.update(check_step(name, {}, registry, f"document_problems(steps=[{name!r}])").spec.adds)
    return DocumentChecker(adds).problems(document)


def assert_valid(document: Document, steps: Sequence[str] = (), *, registry: Registry | None = None) -> None:
    """Fail (``AssertionError`` listing every problem) unless ``document`` is valid for ``steps``;
    see ``document_problems``."""
    problems = document_problems(document, steps, registry=registry)
    assert not problems, "document {!r} is not valid:\n  {}".format(document.get("id"), "\n  ".join(problems))


@contextmanager
def serve(
    *,
    documents: Iterable[Document] = (),
    store: str | Path | Store | None = None,
    registry: Registry | None = None,
    pipelines_dir: str | Path | None = None,
    **settings: Any,
) -> Iterator[str]:
    """Run the presspipe service (real uvicorn, in a thread of this process) on a free loopback
    port until the block ends; yields its base URL (``http://127.0.0.1:PORT``).

    The store is a SQLite file in a temporary directory, removed afterwards, unless ``store`` names
    one (a path or a ``postgresql://`` URL) or is an open ``Store`` (left open). ``documents``
    (processed ones, as ``run_pipeline`` returns) are stored before the first request.
    ``registry`` is what the service offers (default the installed plugins); ``pipelines_dir`` a
    directory of extra ``*.yaml`` pipelines; other keywords are ``presspipe.api.Settings`` fields
    (``token="s3cret"``, ``reads="token"``). Documents submitted to it are processed in a worker
    process, as ``presspipe serve`` does.
    """
    import uvicorn

    from presspipe import store as stores
    from presspipe.api import Settings, create_app

    with ExitStack() as stack:
        if store is None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="presspipe-test-store-"))
            store = Path(directory) / "presspipe.db"
        if isinstance(store, stores.Store):
            opened = store
        else:
            opened = stores.open_store(store)
            stack.callback(opened.close)
            settings["store"] = str(store)
        opened.put_many(list(documents))
        configured = Settings(pipelines_dir=Path(pipelines_dir) if pipelines_dir else None, **settings)
        app = create_app(configured, registry=registry or load_registry(), store=opened)
        listening = socket.socket()
        stack.callback(listening.close)
        listening.bind(("127.0.0.1", 0))
        port = int(listening.getsockname()[1])
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
        thread.start()
        stack.callback(thread.join, SERVER_START_SECONDS)
        stack.callback(setattr, server, "should_exit", True)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server on port {port} did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"


def _as_documents(items: Iterable[Document | str]) -> list[Document]:
    return [make_document(item) if isinstance(item, str) else item for item in items]


def _pipeline(pipeline: str | Path | Mapping[str, Any], registry: Registry) -> Pipeline:
    if isinstance(pipeline, Mapping):
        text = yaml.safe_dump(dict(pipeline), sort_keys=False, allow_unicode=True)
        return parse_pipeline(text, f"<pipeline {pipeline.get('name')!r} given as a dict>", registry)
    return load_pipeline(pipeline, registry)
