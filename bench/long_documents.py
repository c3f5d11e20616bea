"""Cost per character of each pipeline step on long documents, against the bare spaCy parse.

    nice .venv/bin/python bench/long_documents.py [--sizes 300000,600000,1200000,2000000]
                                                  [--pipeline news] [--timeout 900] [--python PY]

For each size, a generated news text of that many characters (short paragraphs, each with a
quotation and two reported statements by the city's mayor; no corpus text) is taken through
the pipeline's steps as ``Runner`` builds them, in a fresh process per size, and each step
is timed as the runner times it for ``--stats``, in wall-clock and in CPU seconds (CPU time
is what to read on a shared machine: the wall clock also counts the other processes). The
same process then parses the same text as the pipeline parses it (``parse_texts`` with the
default model): the baseline. Prints per step the CPU seconds, microseconds per character
and the step's CPU time over the parse's at each size; a step linear in the text keeps its
µs/char flat across the sizes. A size over ``--timeout`` is shown as ``timeout``.

``--python`` picks the interpreter (and so the presspipe install) that runs the steps, e.g.
another checkout's ``.venv/bin/python`` for the figures before a change. Prints figures
only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from typing import Any

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


def measure(pipeline: str, size: int) -> dict[str, Any]:
    """Wall and CPU seconds of each step, then of the bare parse, on a text of ``size`` characters."""
    from presspipe.analysis import DEFAULT_MODEL, load_model
    from presspipe.document import new_document
    from presspipe.parsing import parse_texts
    from presspipe.pipeline import load_pipeline
    from presspipe.registry import load_registry
    from presspipe.runner import Runner

    registry = load_registry()
    runner = Runner(load_pipeline(pipeline, registry), registry)
    text = long_text(size)
    nlp = load_model(DEFAULT_MODEL)
    warm = [new_document(text=long_text(3000, seed=1))]
    for _, implementation in runner.steps:  # models and lazy imports loaded before anything is timed
        warm = implementation(warm, runner.context)
    runner.context.end_batch()
    documents = [new_document(text=text)]
    steps: dict[str, tuple[float, float]] = {}
    for step, implementation in runner.steps:
        wall, cpu = time.perf_counter(), time.process_time()
        documents = implementation(documents, runner.context)
        steps[step.name] = (time.perf_counter() - wall, time.process_time() - cpu)
    runner.context.end_batch()
    quotes = len(documents[0].get("quotes") or [])
    del documents
    wall, cpu = time.perf_counter(), time.process_time()
    parse_texts(nlp, [text])
    parse = (time.perf_counter() - wall, time.process_time() - cpu)
    return {"steps": steps, "parse": parse, "quotes": quotes}


def run_size(python: str, pipeline: str, size: int, timeout: float) -> dict[str, Any] | None:
    """``measure`` in a fresh process of ``python``; None when it runs over ``timeout``."""
    command = [python, __file__, "--measure", str(size), "--pipeline", pipeline]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{python} failed at {size:,} characters:\n{error.stderr[-2000:]}") from None
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="characters, comma-separated")
    parser.add_argument("--pipeline", default="news", help="pipeline name or YAML file (default news)")
    parser.add_argument("--timeout", type=float, default=900, help="budget per size, s (default 900)")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the steps")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # one size, in the child
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.pipeline, args.measure)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]

    results: dict[int, dict[str, Any] | None] = {}
    for size in sizes:
        result = results[size] = run_size(args.python, args.pipeline, size, args.timeout)
        if result is None:
            print(f"{size:>9,} chars: timeout", file=sys.stderr)
            continue
        shown = ", ".join(f"{k} {v[1]:.1f}" for k, v in result["steps"].items())
        print(
            f"{size:>9,} chars: CPU s: parse {result['parse'][1]:.1f}; {shown} ({result['quotes']} quotes)",
            file=sys.stderr,
        )

    names = next((list(r["steps"]) for r in results.values() if r is not None), [])
    print(f"pipeline {args.pipeline} run by {args.python}; baseline: parse_texts, same text, same process")
    for clock, which in (("CPU", 1), ("wall", 0)):
        print(f"\n{clock} seconds, µs/char, x parse")
        print(f"{'step':<22}" + "".join(f"{size:>26,}" for size in sizes))
        for name in ["bare parse", *names]:
            cells = []
            for size in sizes:
                result = results[size]
                if result is None:
                    cells.append(f"{'timeout':>26}")
                    continue
                parse = result["parse"][which]
                seconds = parse if name == "bare parse" else result["steps"][name][which]
                cells.append(f"{seconds:>9.2f} {seconds / size * 1e6:>7.2f} {seconds / parse:>7.3f}x")
            print(f"{name:<22}{''.join(cells)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
