"""presspipe.testing, the plugin author's kit: each helper on the demo plugin, the test server on a real
port, and a third-party style plugin tested with the kit in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from presspipe import PresspipeError, Registry
from presspipe.testing import (
    assert_valid,
    build_step,
    document_problems,
    make_document,
    run_pipeline,
    run_step,
    serve,
)

from .conftest import ROOT

WORDS = {"name": "words", "steps": [{"use": "demo.upper"}, {"use": "demo.words", "with": {"limit": 2}}]}


def test_build_step_fills_the_defaults_as_a_pipeline_does(registry: Registry) -> None:
    assert build_step("demo.words", registry=registry).limit == 5  # type: ignore[attr-defined]
    assert build_step("demo.words", {"limit": 2}, registry=registry).limit == 2  # type: ignore[attr-defined]


def test_build_step_refuses_a_bad_option_naming_the_field_and_the_closest_option(registry: Registry) -> None:
    with pytest.raises(PresspipeError) as raised:
        build_step("demo.words", {"limt": 2}, registry=registry)
    assert raised.value.code == "E004"
    assert "build_step('demo.words')" in str(raised.value) and "did you mean 'limit'?" in str(raised.value)
    with pytest.raises(PresspipeError, match="limit: 0 is less than the minimum of 1"):
        build_step("demo.words", {"limit": 0}, registry=registry)


def test_build_step_names_the_closest_steps_for_an_unknown_one(registry: Registry) -> None:
    with pytest.raises(PresspipeError) as raised:
        build_step("demo.wrods", registry=registry)
    assert raised.value.code == "E003" and "Did you mean 'demo.words' (plugin demo)" in str(raised.value)


def test_run_step_calls_the_step_on_texts_and_documents(registry: Registry) -> None:
    given = make_document("keep me", id="kept")
    out = run_step("demo.upper", ["one two", given], registry=registry)
    assert [d["text"] for d in out] == ["ONE TWO", "KEEP ME"] and out[1] is given
    [words] = run_step("demo.words", ["a b c"], {"limit": 2}, registry=registry)
    assert [w["text"] for w in words["words"]] == ["a", "b"]


def test_run_step_raises_what_the_step_raises(registry: Registry) -> None:
    with pytest.raises(ValueError, match="found a boom"):
        run_step("demo.boom", ["a boom here"], registry=registry)


def test_run_pipeline_takes_a_dict_or_a_file_and_isolates_failures(
    registry: Registry, write_pipeline
) -> None:
    [done] = run_pipeline(WORDS, ["a b c"], registry=registry)
    assert [w["text"] for w in done["words"]] == ["A", "B"] and done["errors"] == []
    assert [s["step"] for s in done["provenance"]["steps"]] == ["demo.upper", "demo.words"]
    path = write_pipeline("name: boom\nsteps:\n  - use: demo.boom\n")
    fine, failed = run_pipeline(path, ["calm", "a boom"], registry=registry)
    assert fine["boomed"] is False and fine["errors"] == []
    assert failed["errors"][0]["step"] == "demo.boom" and failed["errors"][0]["code"] == "ValueError"


def test_run_pipeline_checks_a_dict_as_it_checks_a_file(registry: Registry) -> None:
    with pytest.raises(PresspipeError) as raised:
        run_pipeline({"name": "bad", "steps": [{"use": "demo.needs_words"}]}, ["x"], registry=registry)
    assert raised.value.code == "E006" and "<pipeline 'bad' given as a dict>" in str(raised.value)


def test_run_pipeline_fails_a_document_whose_span_does_not_match(registry: Registry) -> None:
    [document] = run_pipeline(
        {"name": "bad", "steps": [{"use": "demo.badspan"}]}, ["text"], registry=registry
    )
    assert (
        document["errors"][0]["code"] == "schema" and "'te', not 'nope'" in document["errors"][0]["message"]
    )


def test_make_document_is_valid_and_refuses_a_wrong_span() -> None:
    document = make_document("Ada spoke.", meta={"title": "T"}, uri="a.txt")
    assert document_problems(document) == [] and document["meta"] == {"title": "T"}
    assert make_document(html="<p>x</p>")["source"]["media_type"] == "text/html"
    entities = [
        {"id": "E1", "name": "Ada", "label": "PERSON", "mentions": [{"text": "Ada", "start": 0, "end": 3}]}
    ]
    assert make_document("Ada spoke.", entities=entities)["entities"] == entities
    with pytest.raises(ValueError, match="entities/0/mentions/0: text\\[0:3\\] is 'Ada', not 'Bob'"):
        make_document(
            "Ada spoke.", entities=[{**entities[0], "mentions": [{"text": "Bob", "start": 0, "end": 3}]}]
        )
    with pytest.raises(ValueError, match="meta/published: 5 is not of type"):
        make_document("Ada spoke.", meta={"published": 5})


def test_assert_valid_checks_a_steps_fragment_and_lists_every_problem(registry: Registry) -> None:
    [document] = run_step("demo.words", ["a b"], registry=registry)
    assert_valid(document, steps=["demo.words"], registry=registry)
    document["words"] = [{"text": "z", "start": 0, "end": 1}, {"start": 2}]
    with pytest.raises(AssertionError) as raised:
        assert_valid(document, steps=["demo.words"], registry=registry)
    assert "words/0: text[0:1] is 'a', not 'z'" in str(raised.value)
    assert "words/1: 'text' is a required property" in str(raised.value)
    with pytest.raises(AssertionError, match="'words' was unexpected"):
        assert_valid(document, registry=registry)  # without its step, 'words' is no known key


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def test_serve_runs_the_service_on_a_temporary_store_and_removes_it(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the kit's temporary store goes
    processed = run_pipeline(WORDS, [make_document("stored before", id="before")], registry=registry)
    with serve(documents=processed, registry=registry) as url:
        assert url.startswith("http://127.0.0.1:")
        assert get(f"{url}/healthz")["documents"] == 1
        assert get(f"{url}/v1/documents/before")["words"][0]["text"] == "STORED"
        request = urllib.request.Request(
            f"{url}/v1/documents?pipeline=news",
            data=json.dumps(
                {"text": "Ada Lovelace said the engine would weave patterns.", "id": "new"}
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert json.load(response)["entities"][0]["name"] == "Ada Lovelace"
        assert get(f"{url}/healthz")["documents"] == 2
        [directory] = tmp_path.glob("presspipe-test-store-*")
        assert (directory / "presspipe.db").exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/healthz", timeout=5)
    assert not directory.exists()


def test_serve_takes_settings_and_an_extra_pipelines_directory(tmp_path: Path, registry: Registry) -> None:
    (tmp_path / "words.yaml").write_text("name: words\nsteps:\n  - use: demo.words\n")
    with serve(registry=registry, pipelines_dir=tmp_path, token="s3cret", store=tmp_path / "kept.db") as url:
        assert "words" in {p["name"] for p in get(f"{url}/v1/pipelines")}
        request = urllib.request.Request(f"{url}/v1/documents?pipeline=words", data=b'{"text": "x"}')
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 401
    assert (tmp_path / "kept.db").exists()


THIRD_PARTY_PLUGIN_TEST = """
import json
import urllib.request

from presspipe import load_registry
from presspipe.testing import assert_valid, make_document, run_pipeline, run_step, serve

import demo_plugin

registry = load_registry(extra={"demo": demo_plugin})
[document] = run_step("demo.words", [make_document("one two three")], {"limit": 2}, registry=registry)
assert [w["text"] for w in document["words"]] == ["one", "two"]
assert_valid(document, steps=["demo.words"], registry=registry)
pipeline = {"name": "demo", "steps": [{"use": "clean.text"}, {"use": "demo.words"}]}
[processed] = run_pipeline(pipeline, ["Some words to count here."], registry=registry)
assert processed["errors"] == [], processed["errors"]
with serve(documents=[processed], registry=registry) as url:
    stored = json.load(urllib.request.urlopen(url + "/v1/documents/" + processed["id"], timeout=60))
assert stored["words"] == processed["words"]
print("kit ok", len(stored["words"]))
"""


def test_a_third_party_plugin_is_tested_with_the_kit_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """The demo plugin as a plugin author's module: not installed, on the path, tested with the kit."""
    (tmp_path / "demo_plugin.py").write_text((ROOT / "tests" / "demo_plugin.py").read_text())
    (tmp_path / "check_plugin.py").write_text(textwrap.dedent(THIRD_PARTY_PLUGIN_TEST))
    result = subprocess.run(
        [sys.executable, "check_plugin.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kit ok 5"


FIXTURES_TEST = """
import json
import urllib.request


def test_the_fixtures(presspipe_server, presspipe_registry):
    assert "clean.text" in presspipe_registry.steps
    with urllib.request.urlopen(presspipe_server + "/healthz", timeout=60) as response:
        assert json.load(response)["documents"] == 0
"""


def test_the_pytest_plugin_gives_a_server_and_the_registry_as_fixtures(tmp_path: Path) -> None:
    """The fixtures as a plugin author's test asks for them, in a pytest run of its own."""
    (tmp_path / "test_fixtures.py").write_text(FIXTURES_TEST)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_fixtures.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
