"""Cost per character of each pipeline step on long documents, against the bare spaCy parse.

    nice .venv/bin/python bench/long_documents.py [--sizes 300000,600000,1200000,2000000]
                                                  [--pipeline news] [--timeout 600] [--python PY]

For each size, a generated news text of that many characters (short paragraphs, each with a
quotation and two reported statements by the city's mayor; no corpus text) is run through
the real CLI in a subprocess, ``presspipe run PIPELINE FILE --stats``, and the seconds of each
step are read from its stats. The same text is then parsed here as the pipeline parses it
(``presspipe.parsing.parse_texts`` with the default model), the baseline. Prints per step the
seconds and microseconds per character at each size, and the step's time over the parse's;
a step linear in the text keeps its µs/char flat across the sizes. A document over
``--timeout`` is shown as ``timeout``. ``--python`` picks the interpreter (and so the presspipe
install) that runs the CLI, e.g. another checkout's ``.venv/bin/python`` for the figures before a
change; the baseline parse always runs here. Prints figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from presspipe.analysis import DEFAULT_MODEL, load_model
from presspipe.parsing import parse_texts

SIZES = (300_000, 600_000, 1_200_000, 2_000_000)
MAYORS = ("Anna Berg", "Tomas Lindqvist", "Maria Okafor", "David Chen")
PLACES = ("the bridge", "the library", "the harbour", "the north school", "the tram line", "the market hall")
MONTHS = ("March", "April", "May", "June", "September", "October")
PARAGRAPH = (
    "Mayor {mayor} said on {day} that the city would spend {million} million on {place}. "
    "\u201cWe will not leave anyone behind, and the work starts in {month},\u201d {surname} told "
    "reporters at City Hall. She added that the council had approved {votes} of the {seats} "
    "votes needed, according to a statement from her office.\n\n"
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def long_text(chars: int, seed: int = 22) -> str:
    """A news text of ``chars`` characters: one mayor per text, the details varied."""
    rng = random.Random(seed)
    mayor = rng.choice(MAYORS)
    parts = [f"City plans {chars}\n\n"]
    length = len(parts[0])
    while length < chars:
        seats = rng.randint(20, 60)
        paragraph = PARAGRAPH.format(
            mayor=mayor,
            surname=mayor.split()[-1],
            day=rng.choice(DAYS),
            million=rng.randint(2, 90),
            place=rng.choice(PLACES),
            month=rng.choice(MONTHS),
            votes=rng.randint(1, seats),
            seats=seats,
        )
        parts.append(paragraph)
        length += len(paragraph)
    return "".join(parts)[:chars]


def run_steps(python: str, pipeline: str, path: Path, timeout: float) -> dict[str, float] | None:
    """Seconds per step of one CLI run over ``path``; None when the document failed (timeout)."""
    stats = path.with_suffix(".stats.json")
    command = [
        python,
        "-m",
        "presspipe",
        "run",
        pipeline,
        str(path),
        "--out",
        str(path.with_suffix(".jsonl")),
        "--stats",
        str(stats),
        "--timeout",
        str(timeout),
    ]
    subprocess.run(command, check=False, capture_output=True, text=True)
    counts = json.loads(stats.read_text(encoding="utf-8"))
    if counts["run"]["done"] != 1:
        return None
    (steps,) = [p["steps"] for p in counts["pipelines"].values()]
    return {name: step["seconds"] for name, step in steps.items()}


def bare_parse(text: str) -> float:
    nlp = load_model(DEFAULT_MODEL)
    parse_texts(nlp, [text[:2000]])  # warm
    started = time.perf_counter()
    parse_texts(nlp, [text])
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="characters, comma-separated")
    parser.add_argument("--pipeline", default="news", help="pipeline name or YAML file (default news)")
    parser.add_argument("--timeout", type=float, default=600, help="budget per document, s (default 600)")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the CLI")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    results: dict[int, tuple[float, dict[str, float] | None]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            text = long_text(size)
            path = Path(tmp) / f"long_{size}.txt"
            path.write_text(text, encoding="utf-8")
            steps = run_steps(args.python, args.pipeline, path, args.timeout)
            parse = bare_parse(text)
            results[size] = (parse, steps)
            shown = "timeout" if steps is None else ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
            print(f"{size:>9,} chars: parse {parse:.1f} s; {shown}", file=sys.stderr)

    names = next((list(s) for _, s in results.values() if s is not None), [])
    print(f"pipeline {args.pipeline} run by {args.python}; bare parse: parse_texts with {DEFAULT_MODEL}")
    header = "".join(f"{size:>24,}" for size in sizes)
    print(f"{'step (s, µs/char, x parse)':<28}{header}")
    for name in ["bare parse", *names]:
        cells = []
        for size in sizes:
            parse, steps = results[size]
            seconds = parse if name == "bare parse" else None if steps is None else steps.get(name)
            if seconds is None:
                cells.append(f"{'timeout':>24}")
                continue
            cells.append(f"{seconds:>8.2f} {seconds / size * 1e6:>7.2f} {seconds / parse:>6.2f}x")
        print(f"{name:<28}{''.join(cells)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
