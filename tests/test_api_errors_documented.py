"""Every error code the API can answer with is in docs/api.md's table, with its status, and no other.

The codes are collected from the source with ``ast``: each ``ApiError(status, code, ...)`` and
``error_response(status, code, ...)`` call, following a code held in a variable to what it
was assigned, and the codes of the errors the web framework raises itself (``HTTP_CODES``).
"""

from __future__ import annotations

import ast
import re

from presspipe.api.errors import HTTP_CODES

from .conftest import ROOT

RAISERS = {"ApiError", "error_response", "refusal"}
ROW = re.compile(r"^\| (\d{3}|4xx) \| `([a-z_]+)` \|", re.MULTILINE)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _codes(node: ast.expr) -> set[str]:
    """The codes an expression can be: a literal, either branch of ``a if c else b``, or the
    values of ``HTTP_CODES.get(status, default)``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body) | _codes(node.orelse)
    if isinstance(node, ast.Call) and _name(node.func) == "get" and node.args:
        known = set(HTTP_CODES.values()) if ast.unparse(node.func) == "HTTP_CODES.get" else set()
        return known | _codes(node.args[-1])
    return set()


def emitted_codes() -> dict[str, set[str]]:
    """code -> the statuses it is answered with ('4xx' where the status is the framework's)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            assigned = {
                target.id: node.value
                for node in ast.walk(function)
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                if _name(call.func) not in RAISERS or len(call.args) < 2:
                    continue
                status_node, code_node = call.args[0], call.args[1]
                if isinstance(code_node, ast.Attribute) and _name(code_node) == "code":
                    continue  # the handler of ApiError passing on the code it was raised with
                if isinstance(code_node, ast.Name) and code_node.id in assigned:
                    code_node = assigned[code_node.id]
                codes = _codes(code_node)
                assert codes, f"{path}:{call.lineno}: cannot tell which code this answers; make it a literal"
                statuses = {str(status_node.value)} if isinstance(status_node, ast.Constant) else {"4xx"}
                for code in codes:
                    found.setdefault(code, set()).update(statuses)
    for status, code in HTTP_CODES.items():
        found[code] = (found[code] - {"4xx"}) | {str(status)}
    return found


def documented_codes() -> dict[str, set[str]]:
    documented: dict[str, set[str]] = {}
    for status, code in ROW.findall((ROOT / "docs" / "api.md").read_text(encoding="utf-8")):
        documented.setdefault(code, set()).add(status)
    return documented


def test_every_code_the_api_answers_is_documented_with_its_status_and_no_other():
    emitted = emitted_codes()
    assert {"unknown_pipeline", "invalid_parameter", "unknown_parameter", "not_found"} <= set(emitted)
    documented = documented_codes()
    assert set(emitted) - set(documented) == set(), "answered but not in docs/api.md"
    assert set(documented) - set(emitted) == set(), "in docs/api.md but never answered"
    for code, statuses in emitted.items():
        assert statuses == documented[code], code
