"""presspipe: raw documents in, clean annotated schema-checked JSON out.

What a plugin author needs is importable from here::

    from presspipe import hookimpl, Document, StepSpec, RunContext
"""

from presspipe.analysis import RunContext
from presspipe.document import Document
from presspipe.errors import PresspipeError
from presspipe.hookspecs import hookimpl, hookspec
from presspipe.specs import ExporterSpec, Step, StepSpec

__version__ = "0.1.0"

__all__ = [
    "Document",
    "ExporterSpec",
    "PresspipeError",
    "RunContext",
    "Step",
    "StepSpec",
    "__version__",
    "hookimpl",
    "hookspec",
]
