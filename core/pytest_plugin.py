"""presspipe's pytest plugin (entry point ``pytest11``): fixtures over ``presspipe.testing``.

Installed with presspipe, so a plugin's own tests can ask for them by name, as pytest's own
``tmp_path``::

    def test_the_service_answers(presspipe_server):
        assert urllib.request.urlopen(presspipe_server + "/healthz").status == 200
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from presspipe.registry import Registry

# The plugin is loaded by every pytest run where presspipe is installed: what the fixtures need is
# imported when a test asks for them.


@pytest.fixture
def presspipe_registry() -> Registry:
    """The installed plugins, loaded afresh for the test (``PRESSPIPE_PLUGINS`` applies)."""
    from presspipe.registry import load_registry

    return load_registry()


@pytest.fixture
def presspipe_server(presspipe_registry: Registry) -> Iterator[str]:
    """The presspipe service on a free loopback port with the installed plugins and a temporary
    store, for the test; its base URL (``presspipe.testing.serve``)."""
    from presspipe.testing import serve

    with serve(registry=presspipe_registry) as url:
        yield url
