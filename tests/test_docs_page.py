"""/docs in headless Chromium: Swagger UI renders from presspipe's own assets, asking no other host.

Chromium runs with background networking off, so every resource the page loads is one the page
asked for; the test lists them with ``performance.getEntriesByType('resource')``. A screenshot
is saved to /tmp/presspipe-docs-page.png.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .servers import chromium, chromium_available, presspipe_serve

pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install selenium")
if not chromium_available():
    pytest.skip("no /usr/bin/chromium or /usr/bin/chromedriver", allow_module_level=True)

from selenium.webdriver.common.by import By

SCREENSHOT = Path("/tmp/presspipe-docs-page.png")


def wait_for(condition, timeout: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return found


def resource_hosts(browser) -> set[str]:  # type: ignore[no-untyped-def]
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"
    )
    return {urlsplit(url).netloc for url in urls}


def test_docs_renders_the_operations_from_presspipes_own_assets(tmp_path):
    with presspipe_serve("--store", "d.db", cwd=tmp_path) as base, chromium() as browser:
        browser.get(f"{base}/docs")
        operations = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"))
        paths = {element.text.replace("\u200b", "") for element in operations}
        assert {"/v1/documents", "/v1/batches", "/metrics"} <= paths
        browser.save_screenshot(str(SCREENSHOT))
        docs_hosts = resource_hosts(browser)
        assert any(
            "swagger-ui-bundle.js" in url
            for url in browser.execute_script(
                "return performance.getEntriesByType('resource').map(e => e.name)"
            )
        )

        redoc = browser.execute_script(f"return (await fetch('{base}/redoc')).status")
    assert redoc == 404  # not served: ReDoc's bundle would fetch its logo from a CDN
    here = urlsplit(base).netloc
    assert docs_hosts == {here}
