"""presspipe's pytest plugin (entry point ``pytest11``): fixtures over ``presspipe.testing``.

Installed with presspipe, so a plugin's own tests can ask for them by name, as pytest's own
``tmp_path``::

    def test_the_service_answers(presspipe_server):
        assert urllib.request.urlopen(presspipe_server + "/healthz").status == 200
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from presspipe.registry import Registry, load_registry
from presspipe.testing import serve


@pytest.fixture
def presspipe_registry() -> Registry:
    """The installed plugins, loaded afresh for the test (``PRESSPIPE_PLUGINS`` applies)."""
    return load_registry()


@pytest.fixture
def presspipe_server(presspipe_registry: Registry) -> Iterator[str]:
    """The presspipe service on a free loopback port with the installed plugins and a temporary
    store, for the test; its base URL (``presspipe.testing.serve``)."""
    with serve(registry=presspipe_registry) as url:
        yield url
