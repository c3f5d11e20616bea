"""What plugins register: small frozen objects, as conda's ``CondaSolver(name=...)``.

The loader reads everything it needs from a ``StepSpec`` before it builds any step.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from presspipe.analysis import RunContext
    from presspipe.document import Document
    from presspipe.sources import Input, Source


class Step(Protocol):
    """A built step: takes a batch of documents and returns it, annotated.

    A step sets keys (``document["quotes"] = [...]``) rather than appending to what is there:
    when a batch raises, the runner re-runs the step one document at a time to find the one
    that failed, so a step must give the same result when run twice. Steps never touch files,
    the network or a store.
    """

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]: ...


@dataclass(frozen=True)
class StepSpec:
    """A step type a plugin offers.

    - ``name``: what a pipeline's ``use:`` names, ``family.verb`` (``"quotes.extract"``).
    - ``factory``: called with the step's validated ``with:`` config (defaults filled in),
      returns a ``Step``. Expensive set-up (models) belongs to ``RunContext``, not here.
    - ``config_schema``: JSON Schema of ``with:``; an object schema, defaults allowed.
    - ``requires`` / ``provides``: document keys read and written. A step that provides
      ``text`` rewrites the text and must run before every step that annotates it.
    - ``adds``: JSON Schema of each top-level key this step adds that the core document
      schema does not define (``{"sentiment": {"type": "number"}}``).
    """

    name: str
    factory: Callable[[dict[str, Any]], Step]
    version: str
    description: str = ""
    config_schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "object"})
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    adds: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExporterSpec:
    """An export format: turns a stream of documents into a stream of chunks.

    ``export`` yields ``str`` chunks (written as UTF-8), or ``bytes`` when ``binary`` is true
    (Parquet). It must not collect its input: exports run over whole stores in constant memory.
    """

    name: str
    media_type: str
    extension: str
    export: Callable[[Iterable[Document]], Iterator[str] | Iterator[bytes]]
    description: str = ""
    binary: bool = False


def config_with_defaults(schema: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """``config`` with every missing key filled from the schema's defaults, in nested objects too.

    The loader does this for every step, so a step's factory receives a complete config and
    never fills it again; code that builds a step directly (a plugin's tests) calls this first.
    """
    result = copy.deepcopy(dict(config))
    for key, sub in schema.get("properties", {}).items():
        if not isinstance(sub, dict):
            continue
        if key not in result and "default" in sub:
            result[key] = copy.deepcopy(sub["default"])
        if sub.get("type") == "object" and isinstance(result.get(key), dict):
            result[key] = config_with_defaults(sub, result[key])
    return result


@dataclass(frozen=True)
class ReaderSpec:
    """An input reader: turns one input (a file, a directory, a URI) into raw documents.

    - ``name``: what ``presspipe plugins`` lists (``"warc"``); one plugin per name.
    - ``read``: called with a ``Source``; yields ``Document`` (``new_document(...)``),
      ``InputProblem`` for what cannot become a document (named, the run goes on) and
      ``PassedOver`` for records skipped by design (counted in the run's closing line).
      It must stream: read one record at a time, never the whole input.
    - ``patterns``: file-name patterns it takes (``"*.warc.gz"``, case-insensitive;
      ``"*/"`` for directories). A file whose name ends in ``.gz`` or ``.zst`` and matches no
      pattern is matched without that suffix and decompressed for the reader (``Source.open``).
    - ``schemes``: URI schemes it takes (``"s3"`` for ``s3://...``; ``"stdin"`` for ``-``).
    - ``count``: how many documents (or problems) ``read`` will yield for a ``Source``, when that is
      cheap to know without reading it (a file of one document: 1; a directory: its files'
      counts, through ``Source.count``); ``None`` (the default): unknown. ``presspipe run``'s
      progress bar has a total when every input's count is known.
    """

    name: str
    read: Callable[[Source], Iterable[Input]]
    patterns: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    description: str = ""
    count: Callable[[Source], int | None] | None = None
