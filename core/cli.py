"""The ``presspipe`` command: a thin shell over the library (pipeline, runner, sources).

Exit status: 0 all went well; 1 some inputs or documents failed (the rest were written);
2 the command could not start (bad pipeline, bad arguments, plugin clash).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tqdm import tqdm

import presspipe
from presspipe.document import Document, error_messages, is_failed
from presspipe.errors import E, PresspipeError
from presspipe.executors import EXECUTORS, process_batches
from presspipe.limits import Limits
from presspipe.outputs import done_ids
from presspipe.pipeline import load_pipeline, pipeline_file_schema
from presspipe.registry import Registry, load_registry
from presspipe.runner import document_batches
from presspipe.sources import InputProblem, read_inputs
from presspipe.validate import document_schema

if TYPE_CHECKING:
    from presspipe.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl-C: workers killed, output kept
    try:
        registry = load_registry()
        for error in registry.errors():
            print(f"presspipe: warning: {error}", file=sys.stderr)
        status: int = args.command(args, registry)
        return status
    except PresspipeError as error:
        print(f"presspipe: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("presspipe: interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presspipe", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"presspipe {presspipe.__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run a pipeline over input files, directories or stdin")
    run.add_argument("pipeline", help="pipeline YAML file, or the name of an installed pipeline (news)")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory (recursive) or - for stdin")
    run.add_argument("--out", "-o", type=Path, help="output file (default: standard output)")
    run.add_argument(
        "--format", default="jsonl", help="export format (default jsonl; see `presspipe plugins`)"
    )
    run.add_argument("--batch-size", type=_positive, default=32, help="documents per batch (default 32)")
    run.add_argument(
        "--max-chars",
        type=_positive,
        default=Limits.max_chars,
        help=f"longest input a document may have, in characters (default {Limits.max_chars:,}); "
        "longer ones fail",
    )
    run.add_argument(
        "--timeout",
        type=_seconds,
        default=Limits.timeout,
        metavar="SECONDS",
        help=f"time budget of one document (default {Limits.timeout:g}); a document over it fails "
        "and its worker process is replaced",
    )
    run.add_argument("--workers", type=_positive, default=1, help="worker processes (default 1)")
    run.add_argument(
        "--executor", choices=EXECUTORS, default="local", help="local processes (default) or a Dask cluster"
    )
    run.add_argument("--scheduler", help="with --executor dask: scheduler address (default: a local cluster)")
    run.add_argument(
        "--store",
        help="also store the documents (SQLite file or postgresql:// URL); without --out, only store them",
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="skip inputs this pipeline already processed into --out (appended to) or --store",
    )
    run.set_defaults(command=cmd_run)

    validate = commands.add_parser("validate", help="check a pipeline file without running it")
    validate.add_argument("pipeline")
    validate.set_defaults(command=cmd_validate)

    plugins = commands.add_parser("plugins", help="list plugins, their steps, exporters and versions")
    plugins.add_argument("--json", action="store_true", help="print JSON")
    plugins.set_defaults(command=cmd_plugins)

    schema = commands.add_parser("schema", help="print a JSON Schema")
    schema.add_argument(
        "which", choices=["document", "pipeline"], help="the output document, or pipeline files"
    )
    schema.add_argument(
        "--pipeline", help="with 'document': include the keys this pipeline's steps add to the core schema"
    )
    schema.set_defaults(command=cmd_schema)

    serve = commands.add_parser("serve", help="serve the HTTP API and document pages over a store")
    serve.add_argument(
        "--store", help="SQLite file or postgresql:// URL (default $PRESSPIPE_STORE or presspipe.db)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_positive, default=8000, help="port (default 8000)")
    serve.add_argument("--pipelines", type=Path, metavar="DIR", help="also offer the *.yaml pipelines in DIR")
    serve.add_argument(
        "--ingest", type=Path, metavar="FILE.jsonl", help="first store this `presspipe run` output"
    )
    serve.add_argument(
        "--reads",
        choices=["open", "token"],
        default="open",
        help="token: reads need $PRESSPIPE_API_TOKEN too",
    )
    serve.set_defaults(command=cmd_serve)
    return parser


def cmd_run(args: argparse.Namespace, registry: Registry) -> int:
    pipeline = load_pipeline(args.pipeline, registry)
    limits = Limits(max_chars=args.max_chars, timeout=args.timeout)
    exporter = registry.exporter(args.format)
    done: set[str] = set()
    if args.resume:
        if not args.store and (not args.out or args.format != "jsonl"):
            raise PresspipeError(E.E403)
        if args.out:
            done = done_ids(args.out, pipeline.sha256)
    store = _open_store(args.store) if args.store else None

    def already_done(document: Document) -> bool:
        if document["id"] in done:
            return True
        return bool(
            args.resume
            and store
            and store.find(document["id"], pipeline.name, pipeline.sha256, document["source"]["sha256"])
        )

    counts = {"done": 0, "failed": 0, "skipped": 0, "resumed": 0}
    started = time.perf_counter()
    progress = tqdm(unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr)

    def documents() -> Iterator[Document]:
        for item in read_inputs(args.inputs, exclude=args.out):
            if isinstance(item, InputProblem):
                counts["skipped"] += 1
                progress.write(f"presspipe: skipped {item}", file=sys.stderr)
            elif already_done(item):
                counts["resumed"] += 1
            else:
                yield item

    def finished() -> Iterator[Document]:
        batches = document_batches(documents(), args.batch_size, limits.batch_chars)
        options = {"workers": args.workers, "executor": args.executor, "scheduler": args.scheduler}
        for batch in process_batches(pipeline, registry, batches, limits=limits, **options):
            if store:  # failed documents are not stored; --out keeps them with their errors
                store.put_many([document for document in batch if not is_failed(document)])
            for document in batch:
                if is_failed(document):
                    counts["failed"] += 1
                    reasons = "; ".join(error_messages(document))
                    progress.write(
                        f"presspipe: failed {document['source']['uri']}: {reasons}", file=sys.stderr
                    )
                else:
                    counts["done"] += 1
                progress.update()
                yield document

    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    mode = "a" if args.resume else "w"
    if args.out or not store:
        with args.out.open(mode, encoding="utf-8") if args.out else nullcontext(sys.stdout) as out:
            _write(out, exporter.export(finished()))
    else:
        for _document in finished():
            pass
    progress.close()
    if store:
        store.close()
    seconds = time.perf_counter() - started
    total = counts["done"] + counts["failed"]
    print(
        f"presspipe: {total} documents: {counts['done']} done, {counts['failed']} failed; "
        f"{counts['skipped']} inputs skipped"
        + (f"; {counts['resumed']} already done" if args.resume else "")
        + f"; {seconds:.1f} s, {total / seconds if seconds else 0:.1f} documents/s"
        + (f"; output in {args.out}" if args.out else "")
        + (f"; stored in {args.store}" if args.store else ""),
        file=sys.stderr,
    )
    return 1 if counts["failed"] or counts["skipped"] else 0


def _write(out: IO[str], chunks: Iterator[str]) -> None:
    """Write chunks as they come, flushing so a killed run keeps what it wrote."""
    for chunk in chunks:
        out.write(chunk)
        if chunk.endswith("\n"):
            out.flush()


def cmd_validate(args: argparse.Namespace, registry: Registry) -> int:
    pipeline = load_pipeline(args.pipeline, registry)
    steps = ", ".join(step.name for step in pipeline.steps)
    print(f"{pipeline.path}: pipeline '{pipeline.name}' is valid ({len(pipeline.steps)} steps: {steps})")
    return 0


def cmd_plugins(args: argparse.Namespace, registry: Registry) -> int:
    rows: list[dict[str, Any]] = [
        {
            "name": plugin.name,
            "module": plugin.module,
            "version": plugin.version,
            "steps": [{"name": s, "version": registry.steps[s].version} for s in plugin.steps],
            "exporters": list(plugin.exporters),
        }
        for plugin in registry.plugins
    ]
    failed = [{"name": name, "error": why} for name, why in registry.failed.items()]
    if args.json:
        print(json.dumps({"plugins": rows, "failed": failed}, indent=2))
        return 0
    for row in rows:
        print(f"{row['name']} {row['version'] or ''} ({row['module']})")
        for step in row["steps"]:
            print(f"  step {step['name']} {step['version']}")
        for exporter in row["exporters"]:
            print(f"  exporter {exporter}")
    for row in failed:
        print(f"{row['name']} FAILED TO LOAD: {row['error']}")
    return 0


def cmd_schema(args: argparse.Namespace, registry: Registry) -> int:
    if args.which == "pipeline":
        schema = pipeline_file_schema(registry)
    else:
        adds = load_pipeline(args.pipeline, registry).adds() if args.pipeline else None
        schema = document_schema(adds)
    print(json.dumps(schema, indent=2))
    return 0


def _open_store(url: str) -> Store:
    from presspipe.store import StoreError, open_store

    try:
        return open_store(url)
    except (StoreError, OSError) as error:
        raise PresspipeError(E.E404, url=url, problem=error) from None


def cmd_serve(args: argparse.Namespace, registry: Registry) -> int:
    from presspipe.api import Settings, serve
    from presspipe.store import StoreError

    try:
        settings = Settings.from_env(store=args.store, pipelines_dir=args.pipelines, reads=args.reads)
        return serve(settings, registry, host=args.host, port=args.port, ingest=args.ingest)
    except (StoreError, ValueError, OSError) as error:
        print(f"presspipe: error: {error}", file=sys.stderr)
        return 2


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _seconds(value: str) -> float:
    seconds = float(value)
    if not seconds > 0:
        raise argparse.ArgumentTypeError("must be a number of seconds above 0")
    return seconds


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number
