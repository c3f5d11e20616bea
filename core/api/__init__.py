"""The HTTP API and the document pages: ``create_app(Settings(...))``; see ``presspipe.api.app``.

Modules: ``app`` (the factory), ``settings``, ``auth``, ``dependencies`` (what routes are
handed), ``bodies`` (reading request bodies), ``models`` (request and response models),
``errors`` (error bodies and statuses), ``catalogue`` (pipelines by name), ``submit`` and
``worker`` (processing one document, and batches), ``pages`` with ``templates/``, and one
module per router in ``routes/``. Importing this package imports FastAPI: the CLI does so
only for ``presspipe serve``.
"""

from presspipe.api.app import create_app
from presspipe.api.settings import Settings

__all__ = ["Settings", "create_app"]
