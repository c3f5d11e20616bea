"""Loading a YAML pipeline and checking all of it before any document is read.

Every problem is a ``PresspipeError`` naming the file, the line and the step: YAML syntax,
the file's shape, unknown steps (with the closest names), each step's ``with:`` against its
config schema, and the order of ``requires``/``provides``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from presspipe.errors import E, PipelineProblems, PresspipeError
from presspipe.registry import Registry
from presspipe.specs import Step, StepSpec, config_with_defaults

SOURCE_KEYS = frozenset({"schema_version", "id", "source", "meta", "text", "html", "errors"})
"""Keys a document has when it leaves its source, before any step runs."""
TEXT_KEYS = frozenset({"text", "meta", "removed"})
"""Keys that describe the text itself; every other key a step provides annotates it."""
PIPELINE_KEYS = ("name", "description", "steps")
STEP_KEYS = ("use", "with")


@dataclass(frozen=True)
class PipelineStep:
    """One ``- use:`` entry of a pipeline, checked: its spec, its config (defaults filled in)."""

    index: int
    line: int
    spec: StepSpec
    plugin: str
    config: dict[str, Any]

    @property
    def name(self) -> str:
        return self.spec.name

    def build(self) -> Step:
        return self.spec.factory(dict(self.config))


@dataclass(frozen=True)
class Pipeline:
    name: str
    description: str
    path: str
    steps: tuple[PipelineStep, ...]
    source: str
    """The YAML text, so that worker processes can load the same pipeline."""
    sha256: str = field(init=False)
    """Hash of what decides the output: step names, versions and configs (not comments).
    Computed once, here: every stored document is looked up by it."""

    def __post_init__(self) -> None:
        canonical = json.dumps(
            [self.name, [[s.name, s.spec.version, s.config] for s in self.steps]], sort_keys=True
        )
        object.__setattr__(self, "sha256", hashlib.sha256(canonical.encode()).hexdigest())

    def where(self, *keys: str | int) -> str:
        """``file:line`` of the node at ``keys`` in the YAML (``"steps", 1, "with", "model"``)."""
        return _Locator(self.path, yaml.compose(self.source, Loader=yaml.SafeLoader)).at(*keys)

    def adds(self) -> dict[str, Any]:
        """The schema of the top-level keys this pipeline's steps add to the core document."""
        return {key: schema for step in self.steps for key, schema in step.spec.adds.items()}


def installed_pipelines() -> dict[str, str]:
    """The pipelines shipped as package data: name -> YAML text."""
    return {
        entry.name.removesuffix(".yaml"): entry.read_text(encoding="utf-8")
        for entry in files("presspipe.pipelines").iterdir()
        if entry.name.endswith(".yaml")
    }


StepCheck = Callable[[PipelineStep, "_Locator"], "PresspipeError | None"]
"""A further check of each step that passed its own (``presspipe validate``: its model is installed)."""


def load_pipeline(reference: str | Path, registry: Registry, check: StepCheck | None = None) -> Pipeline:
    """Load a pipeline from a YAML file path, or by the name of an installed pipeline."""
    path = Path(reference)
    if path.is_file():
        return parse_pipeline(path.read_text(encoding="utf-8"), str(path), registry, check)
    installed = installed_pipelines()
    if str(reference) in installed:
        return parse_pipeline(installed[str(reference)], f"<installed pipeline {reference}>", registry, check)
    raise PresspipeError(E.E007, path=reference, name=reference, known=", ".join(sorted(installed)))


def parse_pipeline(text: str, path: str, registry: Registry, check: StepCheck | None = None) -> Pipeline:
    """Check a pipeline's YAML text (from ``path``, used in messages) against the registry.

    Every problem is reported at once: each step's own, the order of steps, and ``check``'s."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise PresspipeError(E.E001, where=location, problem=error.problem or error.context) from None
    except yaml.YAMLError as error:
        raise PresspipeError(E.E001, where=path, problem=error) from None

    where = _Locator(path, root)
    if not isinstance(data, dict):
        raise PresspipeError(E.E002, where=where.at(), problem="this file holds no mapping")
    for key in data:
        if key not in PIPELINE_KEYS:
            raise PresspipeError(
                E.E002, where=where.at(key), problem=f"unknown key '{key}'{_closest(key, PIPELINE_KEYS)}"
            )
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise PresspipeError(E.E002, where=where.at("name"), problem="'name' must be a non-empty string")
    if not isinstance(data.get("steps"), list) or not data["steps"]:
        raise PresspipeError(E.E002, where=where.at("steps"), problem="'steps' must be a non-empty list")

    # Every step is checked, so that one run of `presspipe validate` reports every problem.
    steps: list[PipelineStep] = []
    problems: list[PresspipeError] = []
    first_at: dict[str, int] = {}
    for position, entry in enumerate(data["steps"]):
        name = entry.get("use") if isinstance(entry, dict) else None
        if isinstance(name, str) and name in first_at:
            at = where.at("steps", position)
            problems.append(
                PresspipeError(E.E008, where=at, index=position + 1, name=name, first=first_at[name])
            )
            continue
        if isinstance(name, str):
            first_at[name] = position + 1
        try:
            steps.append(_check_step(entry, position, where, registry))
        except PipelineProblems as error:
            problems.extend(error.problems)
        except PresspipeError as error:
            problems.append(error)
    try:
        _check_order(steps, where)
    except PresspipeError as error:
        if not problems:  # an order problem after a broken step may only be that step's
            problems.append(error)
    if check is not None:
        problems.extend(found for step in steps if (found := check(step, where)) is not None)
    if problems:
        raise PipelineProblems(problems)
    return Pipeline(
        name=data["name"],
        description=str(data.get("description") or ""),
        path=path,
        steps=tuple(steps),
        source=text,
    )


def check_step(name: str, config: dict[str, Any], registry: Registry, where: str) -> PipelineStep:
    """One step checked as a pipeline's steps are, outside any pipeline file (``presspipe.testing``):
    its name known (E003, with the closest names), its config valid (E004), defaults filled in.
    Messages start with ``where``."""
    return _check_step({"use": name, "with": config}, 0, _Locator(where, None, lines=False), registry)


def _check_step(entry: Any, position: int, where: _Locator, registry: Registry) -> PipelineStep:
    index = position + 1
    at = where.at("steps", position)
    if not isinstance(entry, dict) or not isinstance(entry.get("use"), str):
        raise PresspipeError(E.E002, where=at, problem=f"step {index} needs 'use: STEP_NAME'")
    name = entry["use"]
    for key in entry:
        if key not in STEP_KEYS:
            problem = f"step {index} ({name}) has unknown key '{key}'{_closest(key, STEP_KEYS)}"
            raise PresspipeError(E.E002, where=where.at("steps", position, key), problem=problem)
    if name not in registry.steps:
        raise PresspipeError(
            E.E003, where=at, index=index, name=name, suggestion=_suggest_step(name, registry)
        )
    spec = registry.steps[name]
    config = entry.get("with") or {}
    if not isinstance(config, dict):
        raise PresspipeError(
            E.E004,
            where=where.at("steps", position, "with"),
            index=index,
            name=name,
            field="",
            problem="must be a mapping",
        )
    validator = jsonschema.Draft202012Validator(spec.config_schema)
    errors = sorted(
        validator.iter_errors(config), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path)))
    )
    if errors:
        raise PipelineProblems([_config_problem(error, where, position, spec) for error in errors])
    return PipelineStep(
        index=index,
        line=where.line("steps", position),
        spec=spec,
        plugin=registry.step_plugin[name],
        config=config_with_defaults(spec.config_schema, config),
    )


def _config_problem(
    error: jsonschema.ValidationError, where: _Locator, position: int, spec: StepSpec
) -> PresspipeError:
    field_path = [str(part) for part in error.absolute_path]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        field_path.append(extra[0] if extra else "")
        options = tuple(sorted(spec.config_schema.get("properties", {})))
        close = difflib.get_close_matches(field_path[-1], options, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        problem = f"unknown option ({hint}options of {spec.name}: {', '.join(options) or 'none'})"
    else:
        problem = error.message
    return PresspipeError(
        E.E004,
        where=where.at("steps", position, "with", *error.absolute_path),
        index=position + 1,
        name=spec.name,
        field=".".join(field_path) or "(the mapping)",
        problem=problem,
    )


def _check_order(steps: list[PipelineStep], where: _Locator) -> None:
    available = set(SOURCE_KEYS)
    annotated_by: PipelineStep | None = None
    for step in steps:
        at = where.at("steps", step.index - 1)
        for key in step.spec.requires:
            if key not in available:
                providers = [s.name for s in steps if key in s.spec.provides and s.index > step.index]
                suggestion = f" Move {providers[0]} before it." if providers else ""
                raise PresspipeError(
                    E.E006, where=at, index=step.index, name=step.name, key=key, suggestion=suggestion
                )
        if "text" in step.spec.provides and annotated_by is not None:
            raise PresspipeError(
                E.E005,
                where=at,
                index=step.index,
                name=step.name,
                before=annotated_by.index,
                before_name=annotated_by.name,
            )
        if annotated_by is None and set(step.spec.provides) - TEXT_KEYS:
            annotated_by = step
        available.update(step.spec.provides)


def _suggest_step(name: str, registry: Registry) -> str:
    close = difflib.get_close_matches(name, list(registry.steps), n=3, cutoff=0.5)
    hint = ""
    if close:
        options = ", ".join(f"'{c}' (plugin {registry.step_plugin[c]})" for c in close)
        hint = f" Did you mean {options}?"
    else:
        hint = f" Installed steps: {', '.join(sorted(registry.steps)) or 'none'}."
    if registry.failed:
        hint += f" Plugin(s) that failed to load, which may offer it: {', '.join(sorted(registry.failed))}."
    return hint


def _closest(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"


@dataclass(frozen=True)
class _Locator:
    """Finds the line of a key in the YAML source, for messages that say ``file:line``."""

    path: str
    root: yaml.Node | None
    lines: bool = True
    """False: there is no file to point into, and ``at`` gives the path alone."""

    def at(self, *keys: str | int) -> str:
        return f"{self.path}:{self.line(*keys)}" if self.lines else self.path

    def line(self, *keys: str | int) -> int:
        """The 1-based line of the node at ``keys``, or of its deepest parent that exists.

        A key whose value is a scalar reports the key's own line.
        """
        node = self.root
        if node is None:
            return 1
        for key in keys:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == key:
                        child = key_node if isinstance(value_node, yaml.ScalarNode) else value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                child = node.value[key]
            if child is None:
                break
            node = child
        return int(node.start_mark.line) + 1


def pipeline_file_schema(registry: Registry) -> dict[str, Any]:
    """JSON Schema of pipeline files, with every installed step's config, for editors."""
    step_schemas = [
        {
            "type": "object",
            "title": name,
            "description": spec.description,
            "required": ["use"],
            "additionalProperties": False,
            "properties": {"use": {"const": name}, "with": dict(spec.config_schema)},
        }
        for name, spec in sorted(registry.steps.items())
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "presspipe pipeline",
        "type": "object",
        "required": ["name", "steps"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "steps": {"type": "array", "minItems": 1, "items": {"oneOf": step_schemas}},
        },
    }
