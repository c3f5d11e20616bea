"""presspipe: raw documents in, clean annotated schema-checked JSON out.

Everything a plugin needs is importable from here, and plugins import nothing else from
``presspipe`` but their own package::

    from presspipe import DEFAULT_MODEL, Document, RunContext, StepSpec, fail, hookimpl

A notebook or a script processes documents with ``nlp = presspipe.load("news")``, then
``nlp(text)`` or ``nlp.pipe(texts)`` (``presspipe.nlp``; docs/python.md).

``drop(document, step, why)`` leaves a document out on purpose (counted, never silently lost).
An input reader uses ``ReaderSpec``, ``Source``, ``new_document``, ``InputProblem`` and
``PassedOver``. A plugin's own tests build a pipeline with ``load_registry``, ``parse_pipeline``
and ``Runner``. Importing presspipe imports no spaCy, FastAPI, uvicorn or trafilatura: each is
imported where it is first used.
"""

from presspipe.analysis import DEFAULT_MODEL, RunContext
from presspipe.document import (
    Document,
    document_from_record,
    drop,
    error_messages,
    fail,
    is_dropped,
    is_failed,
    new_document,
    record_problem,
)
from presspipe.errors import PresspipeError
from presspipe.hookspecs import hookimpl, hookspec
from presspipe.jsonl import capped_lines, jsonl_lines
from presspipe.limits import MAX_FILE_BYTES
from presspipe.nlp import LoadedPipeline, load
from presspipe.outputs import parquet_stream
from presspipe.pipeline import Pipeline, load_pipeline, parse_pipeline
from presspipe.registry import Registry, load_registry
from presspipe.runner import Runner
from presspipe.sources import InputProblem, PassedOver, Source
from presspipe.specs import ExporterSpec, ReaderSpec, Step, StepSpec, config_with_defaults
from presspipe.text import paragraphs

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MODEL",
    "MAX_FILE_BYTES",
    "Document",
    "ExporterSpec",
    "InputProblem",
    "LoadedPipeline",
    "PassedOver",
    "Pipeline",
    "PresspipeError",
    "ReaderSpec",
    "Registry",
    "RunContext",
    "Runner",
    "Source",
    "Step",
    "StepSpec",
    "__version__",
    "capped_lines",
    "config_with_defaults",
    "document_from_record",
    "drop",
    "error_messages",
    "fail",
    "hookimpl",
    "hookspec",
    "is_dropped",
    "is_failed",
    "jsonl_lines",
    "load",
    "load_pipeline",
    "load_registry",
    "new_document",
    "paragraphs",
    "parquet_stream",
    "parse_pipeline",
    "record_problem",
]
