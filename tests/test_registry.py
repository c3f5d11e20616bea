"""Plugin loading: entry points, PRESSPIPE_PLUGINS, failures and clashes reported by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from presspipe import StepSpec, hookimpl
from presspipe.errors import PresspipeError
from presspipe.registry import load_registry

BUILT_IN = {"clean", "entities", "quotes", "summarize", "exporters", "readers"}


def fake_distribution(site: Path, name: str, entry_points: str) -> None:
    """A dist-info that importlib.metadata finds on sys.path, as pip would install it."""
    info = site / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def test_built_in_plugins_load_through_entry_points():
    registry = load_registry()
    assert {plugin.name for plugin in registry.plugins} >= BUILT_IN
    assert registry.step_plugin["entities.spacy"] == "entities"
    assert {"jsonl", "csv"} <= set(registry.exporters)
    assert not registry.failed


def test_env_var_limits_which_plugins_load(monkeypatch):
    monkeypatch.setenv("PRESSPIPE_PLUGINS", "entities, exporters")
    registry = load_registry()
    assert {plugin.name for plugin in registry.plugins} == {"entities", "exporters"}
    assert list(registry.steps) == ["entities.spacy"]


def test_env_var_naming_an_unknown_plugin_is_an_error(monkeypatch):
    monkeypatch.setenv("PRESSPIPE_PLUGINS", "entities,nope")
    with pytest.raises(PresspipeError) as caught:
        load_registry()
    assert caught.value.code == "E104" and "nope" in caught.value.message


def test_plugin_that_fails_to_import_is_reported_by_name(tmp_path, monkeypatch):
    fake_distribution(tmp_path, "broken_plugin", "[presspipe]\nbroken = no_such_module_for_presspipe\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_registry()
    assert "broken" in registry.failed
    [error] = registry.errors()
    assert error.code == "E101"
    assert "plugin 'broken' failed to load: ModuleNotFoundError" in error.message
    assert "entities.spacy" in registry.steps, "the other plugins still load"


def test_two_plugins_offering_one_step_name_is_an_error():
    class Clash:
        @hookimpl
        def presspipe_steps(self) -> list[StepSpec]:
            return [StepSpec("entities.spacy", dict, "9.9")]

    with pytest.raises(PresspipeError) as caught:
        load_registry(extra={"clash": Clash()})
    assert caught.value.code == "E102"
    assert "'entities.spacy' is offered by both plugin 'entities' and plugin 'clash'" in caught.value.message


def test_unknown_exporter_lists_known_formats():
    with pytest.raises(PresspipeError) as caught:
        load_registry().exporter("xml")
    assert caught.value.code == "E105" and "csv" in caught.value.message


BROKEN_PLUGINS = """
from presspipe import ExporterSpec, StepSpec, hookimpl


class Raises:
    @hookimpl
    def presspipe_steps(self):
        raise RuntimeError("no config file found")


class NotAList:
    @hookimpl
    def presspipe_steps(self):
        return StepSpec("notalist.step", dict, "1.0")


class WrongItem:
    @hookimpl
    def presspipe_exporters(self):
        return [ExporterSpec("fine", "text/plain", ".txt", iter), "not a spec"]


raises, not_a_list, wrong_item = Raises(), NotAList(), WrongItem()
"""
BROKEN_ENTRY_POINTS = (
    "[presspipe]\n"
    "raises = broken_registration:raises\n"
    "notalist = broken_registration:not_a_list\n"
    "wrongitem = broken_registration:wrong_item\n"
)
BROKEN_REASONS = {
    "raises": "presspipe_steps() raised RuntimeError: no config file found",
    "notalist": "presspipe_steps() returned StepSpec, not a list of StepSpec",
    "wrongitem": "presspipe_exporters() returned a list whose item 1 is str, not ExporterSpec",
}


def install_broken_plugins(site: Path) -> None:
    site.mkdir(exist_ok=True)
    (site / "broken_registration.py").write_text(BROKEN_PLUGINS, encoding="utf-8")
    fake_distribution(site, "broken_registration", BROKEN_ENTRY_POINTS)


def test_plugins_whose_registration_hooks_fail_are_isolated_and_named(tmp_path, monkeypatch):
    install_broken_plugins(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_registry()
    assert registry.failed == BROKEN_REASONS
    assert {plugin.name for plugin in registry.plugins} == BUILT_IN, (
        "the broken ones are not listed as loaded"
    )
    assert "fine" not in registry.exporters, "nothing of a broken plugin is kept"
    assert not any(
        impl.plugin_name == "raises" for impl in registry.manager.hook.presspipe_steps.get_hookimpls()
    )
    assert "entities.spacy" in registry.steps and "csv" in registry.exporters


def test_cli_and_api_list_plugins_with_broken_registration_and_keep_working(tmp_path):
    import json
    import os
    import subprocess
    import sys

    install_broken_plugins(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}

    def presspipe(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "presspipe", *args], env=env, capture_output=True, text=True, check=False
        )

    listed = presspipe("plugins")
    assert listed.returncode == 0, listed.stderr
    for name, reason in BROKEN_REASONS.items():
        assert f"{name} FAILED TO LOAD: {reason}" in listed.stdout
    assert "  step entities.spacy" in listed.stdout
    assert presspipe("validate", "news").returncode == 0
    schema = presspipe("schema", "pipeline")
    assert schema.returncode == 0
    offered = json.loads(schema.stdout)["properties"]["steps"]["items"]["oneOf"]
    assert "clean.text" in [step["title"] for step in offered]

    api = f"""
import json
from fastapi.testclient import TestClient
from presspipe.api import Settings, create_app
with TestClient(create_app(Settings(store={str(tmp_path / "s.db")!r}))) as client:
    print(json.dumps(client.get("/v1/plugins").json()))
"""
    served = subprocess.run([sys.executable, "-c", api], env=env, capture_output=True, text=True, check=True)
    body = json.loads(served.stdout)
    assert {row["name"]: row["error"] for row in body["failed"]} == BROKEN_REASONS
    assert {row["name"] for row in body["plugins"]} == BUILT_IN
