"""Meta-tests, as datasette's: every hook has a test and a section in the plugin author guide."""

from __future__ import annotations

import pytest

from presspipe import hookspecs

from .conftest import ROOT

HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("presspipe_"))
GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
TESTS = {
    path.name: path.read_text(encoding="utf-8")
    for path in (ROOT / "tests").glob("*.py")
    if path.name != "test_hookspecs.py"
}


def test_hooks_are_found():
    assert HOOKS == [
        "presspipe_batch_done",
        "presspipe_document_failed",
        "presspipe_exporters",
        "presspipe_readers",
        "presspipe_steps",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hook_is_documented(hook):
    assert f"\n### {hook}\n" in GUIDE, f"docs/plugins.md has no '### {hook}' section"


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hook_has_a_test(hook):
    """A test (or a plugin the tests register) implements the hook and so exercises it."""
    users = [name for name, source in TESTS.items() if f"def {hook}(" in source]
    assert users, f"no test implements {hook}"
