"""Plugin loading: entry points, PRESSPIPE_PLUGINS, failures and clashes reported by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from presspipe import StepSpec, hookimpl
from presspipe.errors import PresspipeError
from presspipe.registry import load_registry

BUILT_IN = {"clean", "entities", "quotes", "summarize", "exporters"}


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
