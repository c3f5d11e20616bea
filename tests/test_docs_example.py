"""The plugin author guide, followed word for word: its files written, its commands run as written.

The guide's commands run in presspipe's checkout (``.venv/bin/presspipe``, ``seeds/``). The
test makes a fresh one in a temporary folder: ``seeds/`` linked to the real one, and a new
``.venv`` that sees this presspipe's installed packages (a ``.pth`` file) but installs into
itself, so that installing the example leaves the project's own venv as it was. Each
``console`` block's ``$`` lines run there in bash; the lines after them are output the
command must print (``...`` stands for anything).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

from .conftest import ROOT, SEED

GUIDE = ROOT / "docs" / "plugins.md"
FILE_BLOCK = re.compile(r"<!-- file: (?P<name>\S+) -->\n```\w*\n(?P<body>.*?)```", re.DOTALL)
CONSOLE_BLOCK = re.compile(r"```console\n(?P<body>.*?)```", re.DOTALL)
PYTHON_BLOCK = re.compile(r"```python\n(?P<body>.*?)```", re.DOTALL)


def write_guide_files(target: Path) -> list[str]:
    names = []
    for match in FILE_BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        path = target / match["name"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(match["body"], encoding="utf-8")
        names.append(match["name"])
    return names


def console_commands() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the guide, with the output lines shown after it."""
    commands: list[tuple[str, list[str]]] = []
    for block in CONSOLE_BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        for line in block["body"].splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif line.strip() and line.strip() != "...":
                commands[-1][1].append(line)
    return commands


def make_checkout(target: Path) -> None:
    """A presspipe checkout as the guide expects one: ``seeds/`` and a ``.venv`` with presspipe."""
    (target / "seeds").symlink_to(SEED.parent, target_is_directory=True)
    venv = target / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # addsitedir, not a bare path: it reads presspipe's editable-install .pth files too.
    ours = sysconfig.get_paths()["purelib"]
    (Path(purelib) / "presspipe-dev.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    launcher = venv / "bin" / "presspipe"
    launcher.write_text(f"#!{python}\nimport sys\nfrom presspipe.cli import main\nsys.exit(main())\n")
    launcher.chmod(0o755)


def test_the_plugin_guide_works_as_written(tmp_path):
    make_checkout(tmp_path)
    names = write_guide_files(tmp_path)
    assert "presspipe-wordcount/pyproject.toml" in names and "wordcount.yaml" in names
    commands = console_commands()
    assert [command.split()[0] for command, _ in commands] == [".venv/bin/python", ".venv/bin/presspipe"] * 2
    for command, expected in commands:
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"$ {command}\n{output}"
        for line in expected:
            pattern = ".*".join(re.escape(part) for part in line.split("..."))
            assert re.search(pattern, output), f"$ {command}: expected {line!r} in\n{output}"

    [document] = [json.loads(line) for line in (tmp_path / "counted.jsonl").read_text().splitlines()]
    assert document["errors"] == []
    assert document["wordcount"] == sum(1 for word in document["text"].split() if len(word) >= 4)
    # The project's own venv did not get the example.
    mine = subprocess.run(
        [sys.executable, "-m", "presspipe", "plugins"], capture_output=True, text=True, check=True
    )
    assert "wordcount" not in mine.stdout


def test_every_python_snippet_of_the_guide_has_its_imports(tmp_path):
    for number, block in enumerate(PYTHON_BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))):
        (tmp_path / f"snippet_{number}.py").write_text(block["body"], encoding="utf-8")
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(ruff), "check", "--isolated", "--select", "F821,F401", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_the_guides_testing_kit_example_runs_as_written(tmp_path):
    code = GUIDE.read_text(encoding="utf-8").split("<!-- example: testing kit -->\n```python\n", 1)[1]
    (tmp_path / "kit_example.py").write_text(code.split("```", 1)[0], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "kit_example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
