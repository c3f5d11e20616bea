"""The layering of docs/architecture.md, enforced on the source (imports parsed with ``ast``), and
what ``import presspipe`` and the light commands leave unimported."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

HEAVY = ("spacy", "fastapi", "uvicorn", "trafilatura")


def module_name(path: Path) -> str:
    """The import name of a source file: core/ is ``presspipe``, plugins/ is ``presspipe.plugins``."""
    top, *rest = path.relative_to(ROOT).with_suffix("").parts
    parts = ["presspipe"] + (["plugins"] if top == "plugins" else []) + rest
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, but_in: str | None = None) -> Iterator[str]:
    """Every module ``path`` imports (``from a import b`` gives ``a.b`` as well as ``a``), anywhere in it
    but in the body of the function called ``but_in``."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    if but_in is not None:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == but_in:
                node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def sources(directory: str) -> list[Path]:
    return sorted((ROOT / directory).rglob("*.py"))


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_module_names_follow_the_installed_layout():
    assert module_name(ROOT / "core" / "store" / "rows.py") == "presspipe.store.rows"
    assert module_name(ROOT / "core" / "__init__.py") == "presspipe"
    assert module_name(ROOT / "plugins" / "quotes" / "marks.py") == "presspipe.plugins.quotes.marks"


def test_core_never_imports_the_built_in_plugins():
    found = [(p.name, n) for p in sources("core") for n in imports(p) if within(n, "presspipe.plugins")]
    assert found == []


def test_the_store_never_imports_the_api_or_the_cli():
    found = [
        (p.name, n)
        for p in sources("core/store")
        for n in imports(p)
        if within(n, "presspipe.api") or within(n, "presspipe.cli")
    ]
    assert found == []


TEST_SERVER = ("testing.py", "serve")
"""The one exemption: the test kit imports the API in its test server (``presspipe.testing.serve``),
and nowhere else in it, so that ``import presspipe.testing`` imports no FastAPI."""


def test_only_the_cli_imports_the_api_and_only_main_imports_the_cli():
    allowed = {"cli.py": "presspipe.api", "__main__.py": "presspipe.cli"}
    found = [
        (str(p.relative_to(ROOT)), n)
        for p in sources("core")
        if "api" not in p.relative_to(ROOT / "core").parts
        for n in imports(p, but_in=TEST_SERVER[1] if p.name == TEST_SERVER[0] else None)
        if (within(n, "presspipe.api") or within(n, "presspipe.cli"))
        and not within(n, allowed.get(p.name, "-"))
    ]
    assert found == []


def test_the_test_kit_imports_the_api_in_its_server_only():
    kit = ROOT / "core" / TEST_SERVER[0]
    everywhere = {n for n in imports(kit) if within(n, "presspipe.api")}
    outside = {n for n in imports(kit, but_in=TEST_SERVER[1]) if within(n, "presspipe.api")}
    assert everywhere and not outside
    assert not {n for n in imports(kit) if within(n, "presspipe.cli")}


def plugin_family(path: Path) -> str:
    """``presspipe.plugins.quotes`` for plugins/quotes/extract.py, ``presspipe.plugins.entities`` for plugins/entities.py."""
    return ".".join(module_name(path).split(".")[:3])


@pytest.mark.parametrize("path", sources("plugins"), ids=lambda p: str(p.relative_to(ROOT)))
def test_built_in_plugins_import_only_the_public_surface_and_their_own_package(path):
    family = plugin_family(path)
    reaching = [
        name
        for name in imports(path)
        if within(name, "presspipe")
        and name != "presspipe"
        and not within(name, family)
        and not (name.count(".") == 1 and name.removeprefix("presspipe.") in public_names())
    ]
    assert reaching == [], f"{path.name} reaches past the public presspipe surface"


def public_names() -> set[str]:
    import presspipe

    return set(presspipe.__all__)


def test_every_public_name_is_importable_from_presspipe():
    import presspipe

    for name in presspipe.__all__:
        assert hasattr(presspipe, name), name


def loaded_after(code: str) -> list[str]:
    """The heavy modules loaded by running ``code`` in a fresh interpreter."""
    probe = (
        f"{code}\nimport sys\nprint('LOADED', *[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    [line] = [line for line in result.stderr.splitlines() if line.startswith("LOADED")]
    return line.split()[1:]


def test_import_presspipe_imports_no_spacy_fastapi_uvicorn_or_trafilatura():
    assert loaded_after("import presspipe") == []


def test_import_presspipe_testing_imports_none_of_them_either():
    assert loaded_after("import presspipe.testing") == []


@pytest.mark.parametrize(
    "command", [["plugins"], ["schema", "document"], ["schema", "pipeline"], ["validate", "news"]]
)
def test_commands_that_parse_nothing_do_not_import_spacy(command):
    code = f"from presspipe.cli import main\nassert main({command!r}) == 0"
    assert "spacy" not in loaded_after(code)
