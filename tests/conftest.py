from __future__ import annotations

import os
from pathlib import Path

import pytest

from presspipe.registry import Registry, load_registry

from . import demo_plugin

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_88ecee838c30f0fd.txt"


@pytest.fixture
def registry() -> Registry:
    """The installed plugins plus the tests' demo plugin."""
    return load_registry(extra={"demo": demo_plugin})


@pytest.fixture
def write_pipeline(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a pipeline YAML into tmp_path and return its path."""

    def write(text: str, name: str = "pipeline.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which the CLI finds the tests' demo plugin through an entry point."""
    from .test_registry import fake_distribution

    site = tmp_path / "site"
    fake_distribution(site, "presspipe_demo", "[presspipe]\ndemo = tests.demo_plugin\n")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
