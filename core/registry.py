"""Finding and loading plugins; the registry of steps, exporters and readers they offer.

Built-in plugins register through the ``presspipe`` entry-point group exactly as
third-party ones do (see ``pyproject.toml``). ``PRESSPIPE_PLUGINS=clean,quotes`` limits
which entry points load. A plugin that fails to import is recorded by name, not raised:
the rest still load, and ``presspipe plugins`` and unknown-step errors name it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any, cast

import pluggy

from presspipe import hookspecs
from presspipe.errors import E, PresspipeError
from presspipe.sources import Readers
from presspipe.specs import ExporterSpec, ReaderSpec, StepSpec

ENTRY_POINT_GROUP = "presspipe"
PLUGINS_ENV_VAR = "PRESSPIPE_PLUGINS"


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin, as ``presspipe plugins`` and ``GET /v1/plugins`` list it."""

    name: str
    module: str
    version: str | None
    steps: tuple[str, ...]
    exporters: tuple[str, ...]
    readers: tuple[str, ...] = ()


@dataclass
class Registry:
    """The plugin manager and what its plugins offer, keyed by name."""

    manager: pluggy.PluginManager
    steps: dict[str, StepSpec] = field(default_factory=dict)
    exporters: dict[str, ExporterSpec] = field(default_factory=dict)
    step_plugin: dict[str, str] = field(default_factory=dict)
    """Step name -> name of the plugin that offers it."""
    exporter_plugin: dict[str, str] = field(default_factory=dict)
    readers: dict[str, ReaderSpec] = field(default_factory=dict)
    reader_plugin: dict[str, str] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Plugin name -> why it failed to load."""

    def errors(self) -> list[PresspipeError]:
        """One error per plugin that failed to load."""
        return [PresspipeError(E.E101, plugin=name, problem=why) for name, why in self.failed.items()]

    def exporter(self, name: str) -> ExporterSpec:
        """The exporter called ``name``, or an error listing the known ones."""
        if name not in self.exporters:
            raise PresspipeError(E.E105, name=name, known=", ".join(sorted(self.exporters)))
        return self.exporters[name]

    def input_readers(self) -> Readers:
        """The readers, ready to dispatch inputs (raises ``PresspipeError`` on a pattern clash)."""
        return Readers(self.readers.values())


def selected_entry_points() -> list[EntryPoint]:
    """The ``presspipe`` entry points, limited by ``PRESSPIPE_PLUGINS`` when it is set."""
    found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    wanted = os.environ.get(PLUGINS_ENV_VAR)
    if wanted is None:
        return found
    names = {name.strip() for name in wanted.split(",") if name.strip()}
    unknown = names - {ep.name for ep in found}
    if unknown:
        raise PresspipeError(
            E.E104, names=", ".join(sorted(unknown)), known=", ".join(ep.name for ep in found)
        )
    return [ep for ep in found if ep.name in names]


def load_registry(extra: Mapping[str, object] | None = None) -> Registry:
    """Load every selected plugin, plus ``extra`` (name -> module or object, used by tests).

    Raises ``PresspipeError`` when two plugins offer the same step or exporter name.
    """
    manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager)
    versions: dict[str, str | None] = {}
    for ep in selected_entry_points():
        try:
            plugin = ep.load()
            manager.register(plugin, name=ep.name)
        except Exception as error:  # any import-time failure is the plugin's, reported by name
            registry.failed[ep.name] = f"{type(error).__name__}: {error}"
            continue
        versions[ep.name] = ep.dist.version if ep.dist else None
    for name, plugin in (extra or {}).items():
        manager.register(plugin, name=name)
        versions[name] = None
    offered: dict[str, dict[str, list[str]]] = {
        name: {"steps": [], "exporters": [], "readers": []} for name in versions
    }
    for impl in manager.hook.presspipe_steps.get_hookimpls():
        for spec in cast(list[StepSpec], impl.function()):
            _claim(registry.steps, registry.step_plugin, spec.name, spec, impl.plugin_name, E.E102)
            offered[impl.plugin_name]["steps"].append(spec.name)
    for impl in manager.hook.presspipe_exporters.get_hookimpls():
        for exporter in cast(list[ExporterSpec], impl.function()):
            _claim(
                registry.exporters,
                registry.exporter_plugin,
                exporter.name,
                exporter,
                impl.plugin_name,
                E.E103,
            )
            offered[impl.plugin_name]["exporters"].append(exporter.name)
    for impl in manager.hook.presspipe_readers.get_hookimpls():
        for reader in cast(list[ReaderSpec], impl.function()):
            _claim(registry.readers, registry.reader_plugin, reader.name, reader, impl.plugin_name, E.E106)
            offered[impl.plugin_name]["readers"].append(reader.name)
    for name, version in versions.items():
        plugin = manager.get_plugin(name)
        registry.plugins.append(
            PluginInfo(
                name=name,
                module=getattr(plugin, "__name__", type(plugin).__name__),
                version=version,
                steps=tuple(offered[name]["steps"]),
                exporters=tuple(offered[name]["exporters"]),
                readers=tuple(offered[name]["readers"]),
            )
        )
    return registry


def _claim(
    table: dict[str, Any], owners: dict[str, str], name: str, spec: object, plugin: str, error: E
) -> None:
    """Enter ``spec`` under ``name``, refusing a name another plugin already took."""
    if name in owners:
        raise PresspipeError(error, name=name, first=owners[name], second=plugin)
    table[name] = spec
    owners[name] = plugin
