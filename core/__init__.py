"""presspipe: raw documents in, clean annotated schema-checked JSON out.

What a plugin author needs is importable from here::

    from presspipe import hookimpl, Document, StepSpec, RunContext

``drop(document, step, why)`` to leave a document out on purpose; and for an input reader ``ReaderSpec``, ``Source``, ``new_document``, ``InputProblem``, ``PassedOver``.
"""

from presspipe.analysis import RunContext
from presspipe.document import Document, drop, new_document
from presspipe.errors import PresspipeError
from presspipe.hookspecs import hookimpl, hookspec
from presspipe.sources import InputProblem, PassedOver, Source
from presspipe.specs import ExporterSpec, ReaderSpec, Step, StepSpec

__version__ = "0.1.0"

__all__ = [
    "Document",
    "ExporterSpec",
    "InputProblem",
    "PassedOver",
    "PresspipeError",
    "ReaderSpec",
    "RunContext",
    "Source",
    "Step",
    "StepSpec",
    "__version__",
    "drop",
    "hookimpl",
    "hookspec",
    "new_document",
]
