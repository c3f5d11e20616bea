"""A PolNeAR-style text (double quotes written ``''...''``) on its document page, in headless
Chromium: each highlighted quotation holds both marks at each end, and no stray ``'`` follows
it (issue 23). The text goes through ``presspipe run --store``, the page is served by
``presspipe serve`` on loopback. A screenshot is saved to /tmp/presspipe-doubled-marks.png.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .servers import CHROMEDRIVER, CHROMIUM, chromium, chromium_available, presspipe_serve

SCREENSHOT = Path("/tmp/presspipe-doubled-marks.png")
TEXT = (
    "Museum opens\n\n"
    "The president spoke in Washington on Saturday.\n\n"
    "''A museum alone will not alleviate poverty in every inner city,'' President Barack Obama said. "
    "''It won't eliminate gun violence,'' he added.\n"
)

pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install selenium")
if not chromium_available():
    pytest.skip(f"no {CHROMIUM} or {CHROMEDRIVER}", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402


def test_doubled_marks_are_highlighted_whole(tmp_path: Path) -> None:
    (tmp_path / "museum.txt").write_text(TEXT, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "presspipe",
        "run",
        "news",
        "museum.txt",
        "--store",
        "s.db",
        "--out",
        "o.jsonl",
    ]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    document = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    quotations = [q for q in document["quotes"] if q["quoted"]]
    assert len(quotations) == 2

    with presspipe_serve("--store", "s.db", cwd=tmp_path) as url, chromium() as browser:
        browser.get(f"{url}/documents/{document['id']}")
        article = browser.find_element(By.ID, "article")
        for quote in quotations:
            pieces = article.find_elements(By.CSS_SELECTOR, f'.quote[data-quote="{quote["id"]}"]')
            marked = "".join(p.get_attribute("textContent") or "" for p in pieces)
            assert marked.startswith("''") and marked.endswith(",''"), marked
            # what the reader sees right after the quotation's speaker badge: no stray mark
            after = browser.execute_script(
                "const badge = arguments[0]; let node = badge.nextSibling;"
                "while (node && !node.textContent) node = node.nextSibling;"
                "return node ? node.textContent : '';",
                article.find_element(By.CSS_SELECTOR, f'.who[data-quote="{quote["id"]}"]'),
            )
            assert not after.startswith("'"), after
        browser.save_screenshot(str(SCREENSHOT))
