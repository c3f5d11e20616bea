"""--reads token in a browser: the pages send to a sign-in form, whose cookie opens reads, not writes.

Runs `presspipe serve --reads token` on a free loopback port and headless Chromium. A screenshot
of the form is saved to /tmp/presspipe-login-page.png.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import SEED
from .servers import chromium, chromium_available, presspipe_serve

pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install selenium")
if not chromium_available():
    pytest.skip("no /usr/bin/chromium or /usr/bin/chromedriver", allow_module_level=True)

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

TOKEN = "s3cret-token"
SCREENSHOT = Path("/tmp/presspipe-login-page.png")


def test_pages_ask_for_the_token_in_a_form_and_the_cookie_opens_reads_only(tmp_path):
    light = tmp_path / "light.yaml"
    light.write_text("name: light\nsteps:\n  - use: clean.text\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(light), str(SEED), "--store", "s.db"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    env = {"PRESSPIPE_API_TOKEN": TOKEN}
    with (
        presspipe_serve("--store", "s.db", "--reads", "token", cwd=tmp_path, env=env) as base,
        chromium() as b,
    ):
        # The API keeps answering JSON 401s to clients without the token.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/v1/documents", timeout=30)
        assert refused.value.code == 401
        assert json.load(refused.value)["error"]["code"] == "unauthorized"

        b.get(f"{base}/?q=council")
        assert b.current_url == f"{base}/login?next=/?q=council"
        assert b.find_element(By.TAG_NAME, "h1").text == "Sign in"
        field = b.find_element(By.NAME, "token")
        field.send_keys("wrong")
        field.submit()
        assert "That is not this server's token." in b.find_element(By.CSS_SELECTOR, "p.problem").text
        b.save_screenshot(str(SCREENSHOT))

        field = b.find_element(By.NAME, "token")
        field.send_keys(TOKEN)
        field.submit()
        # submit() returns before the redirect has loaded: wait for it (CI once read /login here).
        WebDriverWait(b, 30).until(lambda driver: driver.current_url != f"{base}/login")
        assert b.current_url == f"{base}/?q=council"
        [cookie] = b.get_cookies()
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert TOKEN not in cookie["value"]

        b.get(f"{base}/")
        link = b.find_element(By.CSS_SELECTOR, "a[href^='/documents/']")
        link.click()
        assert "/documents/" in b.current_url and b.find_elements(By.CSS_SELECTOR, "article")
        # The cookie opens reads of the API too, but never a write: a write needs the bearer header.
        listing = b.execute_script(f"return (await fetch('{base}/v1/documents')).status")
        write = b.execute_script(
            f"return (await fetch('{base}/v1/documents?pipeline=light', {{method: 'POST', "
            "headers: {'Content-Type': 'text/plain'}, body: 'A story.'})).status"
        )
        assert (listing, write) == (200, 401)
        # A sign-in that would send the browser to another host goes home instead.
        b.delete_all_cookies()
        b.get(f"{base}/login?next=//elsewhere.example/")
        field = b.find_element(By.NAME, "token")
        field.send_keys(TOKEN)
        field.submit()
        WebDriverWait(b, 30).until(lambda driver: "/login" not in driver.current_url)
        assert b.current_url == f"{base}/"
