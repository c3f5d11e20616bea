"""Finding and loading plugins; the registry of steps, exporters and readers they offer.

Built-in plugins register through the ``presspipe`` entry-point group exactly as
third-party ones do (see ``pyproject.toml``). ``PRESSPIPE_PLUGINS=clean,quotes`` limits
which entry points load. A plugin that fails to import, or whose registration hooks raise or
return anything but a list of ``StepSpec`` / ``ExporterSpec``, is recorded by name with the
reason, not raised, and left out: the rest still load, and ``presspipe plugins``,
``GET /v1/plugins`` and unknown-step errors name it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any, TypeVar

import pluggy

from presspipe import hookspecs
from presspipe.errors import E, PresspipeError, echo
from presspipe.sources import Readers
from presspipe.specs import ExporterSpec, ReaderSpec, StepSpec

ENTRY_POINT_GROUP = "presspipe"
PLUGINS_ENV_VAR = "PRESSPIPE_PLUGINS"
T = TypeVar("T")


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
    """Plugin name -> why it failed to load (import, or its registration hooks)."""

    def errors(self) -> list[PresspipeError]:
        """One error per plugin that failed to load."""
        return [PresspipeError(E.E101, plugin=name, problem=why) for name, why in self.failed.items()]

    def exporter(self, name: str) -> ExporterSpec:
        """The exporter called ``name``, or an error listing the known ones."""
        if name not in self.exporters:
            raise PresspipeError(E.E105, name=echo(name), known=", ".join(sorted(self.exporters)))
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
    for name in list(versions):
        try:
            steps = _offered(manager, name, "presspipe_steps", StepSpec)
            exporters = _offered(manager, name, "presspipe_exporters", ExporterSpec)
            readers = _offered(manager, name, "presspipe_readers", ReaderSpec)
        except _Broken as error:  # the plugin's own failure: reported by name, the rest go on
            registry.failed[name] = str(error)
            manager.unregister(name=name)
            del versions[name]
            continue
        for spec in steps:
            _claim(registry.steps, registry.step_plugin, spec.name, spec, name, E.E102)
        for exporter in exporters:
            _claim(registry.exporters, registry.exporter_plugin, exporter.name, exporter, name, E.E103)
        for reader in readers:
            _claim(registry.readers, registry.reader_plugin, reader.name, reader, name, E.E106)
        plugin = manager.get_plugin(name)
        registry.plugins.append(
            PluginInfo(
                name=name,
                module=getattr(plugin, "__name__", type(plugin).__name__),
                version=versions[name],
                steps=tuple(spec.name for spec in steps),
                exporters=tuple(exporter.name for exporter in exporters),
                readers=tuple(reader.name for reader in readers),
            )
        )
    return registry


class _Broken(Exception):
    """A plugin's registration hook raised or returned something else than a list of specs."""


def _offered(manager: pluggy.PluginManager, plugin: str, hook: str, kind: type[T]) -> list[T]:
    """What ``plugin``'s implementation of registration hook ``hook`` returns, checked."""
    found: list[T] = []
    for impl in getattr(manager.hook, hook).get_hookimpls():
        if impl.plugin_name != plugin:
            continue
        try:
            returned = impl.function()
        except Exception as error:
            raise _Broken(f"{hook}() raised {type(error).__name__}: {error}") from None
        if not isinstance(returned, list | tuple):
            raise _Broken(f"{hook}() returned {type(returned).__name__}, not a list of {kind.__name__}")
        for position, item in enumerate(returned):
            if not isinstance(item, kind):
                raise _Broken(
                    f"{hook}() returned a list whose item {position} is {type(item).__name__}, "
                    f"not {kind.__name__}"
                )
        found.extend(returned)
    return found


def _claim(
    table: dict[str, Any], owners: dict[str, str], name: str, spec: object, plugin: str, error: E
) -> None:
    """Enter ``spec`` under ``name``, refusing a name another plugin already took."""
    if name in owners:
        raise PresspipeError(error, name=name, first=owners[name], second=plugin)
    table[name] = spec
    owners[name] = plugin
