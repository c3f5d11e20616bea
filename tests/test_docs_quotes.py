"""docs/steps/quotes.md's example is what `presspipe run news` makes of the seed article.

The doc's JSON block is compared with the first direct quote and the first reported speech
(``kind: indirect``) of the real output. When the step
changes on purpose, the failure message prints the block to paste into the doc.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

from .conftest import ROOT, SEED

DOC = ROOT / "docs" / "steps" / "quotes.md"
BLOCK = re.compile(r"## Output\n\n.*?```json\n(?P<body>.*?)```", re.DOTALL)


def as_doc_block(quotes: list[dict[str, Any]]) -> str:
    """Quotes laid out as the doc shows them."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    blocks = []
    for quote in quotes:
        head = {k: quote[k] for k in ("id", "text", "start", "end")}
        rest = {k: v for k, v in quote.items() if k not in head and k not in ("speaker", "cue")}
        lines = [f"  {dump(head)[:-1]},", f"   {dump(rest)[1:-1]},"]
        lines += [f'   "{key}": {dump(quote[key])},' for key in ("speaker", "cue") if key in quote]
        lines[-1] = lines[-1][:-1] + "}"
        blocks.append("\n".join(lines))
    return '"quotes": [\n' + ",\n".join(blocks) + "\n]\n"


def test_the_output_example_is_the_first_quote_and_reported_speech_of_the_seed_article(tmp_path):
    assert f"`seeds/{SEED.name}`" in DOC.read_text(encoding="utf-8"), "the doc names its input"
    subprocess.run(
        [sys.executable, "-m", "presspipe", "run", "news", str(SEED), "--out", str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    [document] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    real = [next(q for q in document["quotes"] if q["kind"] == kind) for kind in ("direct", "indirect")]
    match = BLOCK.search(DOC.read_text(encoding="utf-8"))
    assert match, "docs/steps/quotes.md has no JSON block under '## Output'"
    shown = json.loads("{" + match["body"] + "}")["quotes"]
    assert shown == real, f"the doc's example is out of date; paste:\n{as_doc_block(real)}"
