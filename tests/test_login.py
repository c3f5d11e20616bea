"""--reads token in a browser: the pages send to a sign-in form, whose cookie opens reads, not writes.

Runs `presspipe serve --reads token` on a free loopback port and headless Chromium. A screenshot
of the form is saved to /tmp/presspipe-login-page.png.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
HOSTILE_NEXT = (
    "//elsewhere.example/",
    "https://elsewhere.example/",
    "/\\elsewhere.example/",
    "\\\\elsewhere.example/",
    "/\t/elsewhere.example/",
    "/\n/elsewhere.example/",
    " //elsewhere.example/",
    "javascript:alert(1)",
    "elsewhere.example",
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def answer(url: str, data: bytes | None = None) -> tuple[int, str]:
    """The status and Location of one request, redirects not followed."""
    try:
        with urllib.request.build_opener(NoRedirect).open(url, data=data, timeout=30) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`presspipe serve --reads token` over the seed article run through a one-step pipeline."""
    directory = tmp_path_factory.mktemp("login")
    light = directory / "light.yaml"
    light.write_text("name: light\nsteps:\n  - use: clean.text\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(light), str(SEED), "--store", "s.db"],
        cwd=directory,
        check=True,
        capture_output=True,
    )
    env = {"PRESSPIPE_API_TOKEN": TOKEN}
    with presspipe_serve("--store", "s.db", "--reads", "token", cwd=directory, env=env) as url:
        yield url


def sign_in(b: Any, base: str, token: str = TOKEN) -> None:
    field = b.find_element(By.NAME, "token")
    field.send_keys(token)
    field.submit()
    # submit() returns before the redirect has loaded: wait for it.
    WebDriverWait(b, 30).until(lambda driver: "/login" not in driver.current_url)


def test_pages_ask_for_the_token_in_a_form_and_the_cookie_opens_reads_only(base: str) -> None:
    with chromium() as b:
        # The API keeps answering JSON 401s to clients without the token.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/v1/documents", timeout=30)
        assert refused.value.code == 401
        assert json.load(refused.value)["error"]["code"] == "unauthorized"

        b.get(f"{base}/?q=council&pipeline=light")
        # next is encoded whole: its "&pipeline=light" comes back too.
        assert b.current_url == f"{base}/login?next=/%3Fq%3Dcouncil%26pipeline%3Dlight"
        assert b.find_element(By.TAG_NAME, "h1").text == "Sign in"
        field = b.find_element(By.NAME, "token")
        field.send_keys("wrong")
        field.submit()
        assert "That is not this server's token." in b.find_element(By.CSS_SELECTOR, "p.problem").text
        b.save_screenshot(str(SCREENSHOT))

        sign_in(b, base)
        assert b.current_url == f"{base}/?q=council&pipeline=light"
        assert b.find_element(By.NAME, "pipeline").get_attribute("value") == "light"
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
        sign_in(b, base)
        assert b.current_url == f"{base}/"


PAGES = (
    "/",
    "/?q=council&pipeline=light",
    "/documents/seed?pipeline=light",
    "/entities/person:ada-lovelace",
    "/entities/person:ada-lovelace?period=week",
    "/speakers?kind=direct&speaker=obama",
    "/entities?label=PERSON&q=council",
)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_redirects_to_the_sign_in_form_with_its_whole_address(base: str, path: str) -> None:
    status, location = answer(base + path)
    assert (status, location) == (303, "/login?next=" + urllib.parse.quote(path, safe="/"))


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_next_that_leaves_the_site_goes_home_instead(base: str, target: str) -> None:
    form = urllib.parse.urlencode({"token": TOKEN, "next": target}).encode()
    assert answer(f"{base}/login", form) == (303, "/")
    # The form itself never writes the hostile value back as where to go.
    with urllib.request.urlopen(f"{base}/login?next={urllib.parse.quote(target)}", timeout=30) as page:
        assert 'name="next" value="/"' in page.read().decode()


@pytest.mark.parametrize("width", [1280, 390])
def test_sign_in_comes_back_filtered_and_sign_out_ends_the_session(base: str, width: int) -> None:
    with chromium() as b:
        b.set_window_size(width, 900)
        b.get(f"{base}/speakers?kind=direct&q=council")
        assert not b.find_elements(By.ID, "sign-out")  # not signed in: no button
        b.save_screenshot(f"/tmp/presspipe-login-form-{width}.png")
        sign_in(b, base)
        assert b.current_url == f"{base}/speakers?kind=direct&q=council"  # the filters came back whole
        assert b.find_element(By.NAME, "kind").get_attribute("value") == "direct"
        b.get(f"{base}/")
        button = b.find_element(By.ID, "sign-out")
        assert button.is_displayed() and button.text == "Sign out"
        b.save_screenshot(f"/tmp/presspipe-login-signed-in-{width}.png")
        button.click()
        WebDriverWait(b, 30).until(lambda driver: driver.current_url.startswith(f"{base}/login"))
        assert b.get_cookies() == []
        b.get(f"{base}/?q=council")
        assert b.current_url.startswith(f"{base}/login?next=")
