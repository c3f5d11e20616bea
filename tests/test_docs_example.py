"""The plugin author guide's example, installed as a third party would and run as written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SEED

FILE_BLOCK = re.compile(r"<!-- file: (?P<name>\S+) -->\n```\w*\n(?P<body>.*?)```", re.DOTALL)


def write_guide_files(target: Path) -> list[str]:
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    names = []
    for match in FILE_BLOCK.finditer(guide):
        path = target / match["name"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(match["body"], encoding="utf-8")
        names.append(match["name"])
    return names


def test_example_plugin_installs_passes_its_tests_and_runs_in_a_pipeline(tmp_path):
    names = write_guide_files(tmp_path)
    assert "presspipe-wordcount/pyproject.toml" in names and "wordcount.yaml" in names
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(site), str(tmp_path / "presspipe-wordcount")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site)}

    plugins = subprocess.run(
        [sys.executable, "-m", "presspipe", "plugins"], env=env, capture_output=True, text=True, check=True
    )
    assert "wordcount 0.1.0 (presspipe_wordcount)" in plugins.stdout
    assert "  step wordcount.count 0.1.0" in plugins.stdout

    own_tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "presspipe-wordcount"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
    assert "1 passed" in own_tests.stdout

    out = tmp_path / "counted.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(tmp_path / "wordcount.yaml"), str(SEED.parent),
         "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    [document] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert document["errors"] == []
    assert document["wordcount"] == sum(1 for word in document["text"].split() if len(word) >= 4)
