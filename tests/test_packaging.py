"""Packaging: a plain (non-editable) install carries the schema, the pipelines, the page templates and
every plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT

CHECK = """
import json, presspipe
from presspipe.pipeline import installed_pipelines
from presspipe.registry import load_registry
from presspipe.validate import document_schema
from presspipe.api.pages import render_error, render_index
registry = load_registry()
page = render_error(404, "no such document")
print(json.dumps({
    "file": presspipe.__file__,
    "pipelines": sorted(installed_pipelines()),
    "schema": document_schema()["title"],
    "steps": sorted(registry.steps),
    "failed": registry.failed,
    "templates": "<h1>404</h1>" in page and "no such document" in page and "Documents" in render_index(None, {}),
    "css": "header.site" in page,
}))
"""


def test_plain_install_finds_schemas_pipelines_and_plugins(tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(site), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    assert found["file"].startswith(str(site)), "imported the installed copy, not the source tree"
    assert "news" in found["pipelines"]
    assert found["schema"] == "presspipe document"
    assert found["failed"] == {}
    assert found["templates"] and found["css"], "the page templates and style.css are package data"
    assert {"clean.text", "clean.html", "entities.spacy", "quotes.extract", "summarize.extractive"} <= set(
        found["steps"]
    )
