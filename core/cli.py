"""The ``presspipe`` command: a thin shell over the library (pipeline, runner, sources).

Exit status: 0 every document read was written; 1 some inputs were skipped, some documents
failed (written with their errors) or were dropped by a step (a language the pipeline does not
keep; not written), as the closing line counts; 2 the command could not start (bad pipeline,
bad arguments, plugin clash); 130 interrupted (Ctrl-C or SIGTERM; ``presspipe run`` keeps every document
it finished, for ``--resume``); 141 the reader of standard output closed it (``| head``).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tqdm import tqdm

from presspipe.analysis import model_installed
from presspipe.arguments import build_parser
from presspipe.document import Document, error_messages, is_dropped
from presspipe.errors import E, PresspipeError
from presspipe.executors import process_batches
from presspipe.ingest import RunCounts, run_into_store
from presspipe.limits import Limits
from presspipe.outputs import OutputFile, done_ids
from presspipe.pipeline import PipelineStep, load_pipeline, pipeline_file_schema
from presspipe.registry import Registry, load_registry
from presspipe.sources import InputProblem, PassedOver, count_inputs, read_inputs
from presspipe.stats import PipelineStats
from presspipe.validate import document_schema

if TYPE_CHECKING:
    from presspipe.store import Store


INTERRUPTED_STATUS = 130
"""What a shell reports for a command stopped by Ctrl-C (128 + SIGINT)."""
SIGPIPE_STATUS = 141
"""What a shell reports for a command killed by SIGPIPE: ``presspipe run ... | head`` ends so."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl-C: workers killed, output kept
    try:
        registry = load_registry()
        for error in registry.errors():
            print(f"presspipe: warning: {error}", file=sys.stderr)
        status: int = COMMANDS[args.command](args, registry)
        return status
    except PresspipeError as error:
        for line in str(error).splitlines():
            print(f"presspipe: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("presspipe: interrupted", file=sys.stderr)
        return INTERRUPTED_STATUS
    except BrokenPipeError:
        # The reader stopped reading (`| head`): stop quietly, and keep Python from complaining
        # again when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_STATUS
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    readers = registry.input_readers()
    store = _open_store(args.store) if args.store else None
    counts = RunCounts()
    unreadable = 0
    dropped = 0
    written = 0
    passed_over: Counter[str] = Counter()
    stats = PipelineStats()
    started = time.perf_counter()
    on_terminal = sys.stderr.isatty()
    total = count_inputs(args.inputs, readers, exclude=args.out) if on_terminal else None
    progress = tqdm(total=total, unit="doc", disable=not on_terminal, file=sys.stderr)

    def documents() -> Iterator[Document]:
        nonlocal unreadable
        for item in read_inputs(args.inputs, readers, exclude=args.out):
            if isinstance(item, PassedOver):
                passed_over.update(item.counts)
            elif isinstance(item, InputProblem):
                unreadable += 1
                progress.update()  # counted in the total as the document it is not
                progress.write(f"presspipe: skipped {item}", file=sys.stderr)
            else:
                yield item

    def process(batches: Iterable[list[Document]]) -> Iterator[list[Document]]:
        options = {"workers": args.workers, "executor": args.executor, "scheduler": args.scheduler}
        for batch in process_batches(pipeline, registry, batches, limits=limits, **options):
            stats.count(batch)
            yield batch

    def finished() -> Iterator[Document]:
        nonlocal dropped, written
        # Failed and dropped documents are not stored; --out keeps failed ones with their errors.
        outcomes = run_into_store(
            documents(),
            pipeline,
            process,
            store,
            batch_size=args.batch_size,
            batch_chars=limits.batch_chars,
            skip_stored=args.resume,
            done_ids=done,
            counts=counts,
        )
        for outcome in outcomes:
            progress.update()
            if outcome.status == "skipped":
                continue
            if is_dropped(outcome.document):
                dropped += 1
                continue
            if outcome.status == "failed":
                reasons = "; ".join(error_messages(outcome.document))
                progress.write(
                    f"presspipe: failed {outcome.document['source']['uri']}: {reasons}", file=sys.stderr
                )
            yield outcome.document
            written += 1  # the exporter asks for the next document once it wrote this one

    staged = OutputFile(args.out, append=args.resume) if args.out else None
    try:
        if staged or not store:
            _write(staged.file if staged else sys.stdout, exporter.export(finished()))
        else:
            for _document in finished():
                pass
    except KeyboardInterrupt:
        progress.close()
        _interrupted(staged, written, args)
        return INTERRUPTED_STATUS
    except BaseException:
        if staged:
            staged.discard()
        raise
    finally:
        progress.close()
        if store:
            store.close()
    seconds = time.perf_counter() - started
    succeeded = counts.stored + counts.done
    failed = counts.failed - dropped
    total = succeeded + counts.failed
    read_nothing = unreadable > 0 and total == 0 and counts.skipped == 0
    if staged and read_nothing:
        staged.discard()
    elif staged:
        staged.commit()
    print(
        f"presspipe: {_count(total, 'document')}: {succeeded} done, {failed} failed"
        + (f", {dropped} dropped" if dropped else "")
        + f"; {_count(unreadable, 'input')} skipped"
        + _passed_over(passed_over)
        + (f"; {counts.skipped} already done" if args.resume else "")
        + f"; {seconds:.1f} s, {total / seconds if seconds else 0:.1f} documents/s"
        + (f"; nothing read, {args.out} left as it was" if staged and read_nothing else "")
        + (f"; output in {args.out}" if staged and not read_nothing else "")
        + (f"; stored in {args.store}" if args.store else ""),
        file=sys.stderr,
    )
    if args.stats:
        run = {
            "documents": total,
            "done": succeeded,
            "failed": failed,
            "dropped": dropped,
            "inputs_skipped": unreadable,
            "already_done": counts.skipped,
            "seconds": round(seconds, 3),
        }
        _write_json(args.stats, {"run": run, **stats.as_json()})
    return 1 if failed or unreadable or dropped else 0


def _interrupted(staged: OutputFile | None, written: int, args: argparse.Namespace) -> None:
    """Keep what an interrupted run finished (every batch that came back is written by then) and say
    how to go on; a run that wrote nothing leaves ``--out`` as it was."""
    where = f" to {args.out}" if args.out else f" into {args.store}" if args.store else ""
    if staged and written == 0 and not args.resume:
        staged.discard()
        where = f"; {args.out} left as it was"
    elif staged:
        staged.commit()
    resumable = args.store or (args.out and args.format == "jsonl")
    print(
        f"presspipe: interrupted: {_count(written, 'finished document')} written{where}"
        + ("; run the same command with --resume to go on from there" if resumable and written else ""),
        file=sys.stderr,
    )


def _write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")


def _count(number: int, noun: str) -> str:
    """``1 input``, ``2 inputs``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _passed_over(counts: Mapping[str, int]) -> str:
    """``; 12 records passed over (5 request, 4 image, 3 revisit)``, commonest kind first; or nothing."""
    if not counts:
        return ""
    kinds = ", ".join(
        f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return f"; {_count(sum(counts.values()), 'record')} passed over ({kinds})"


def _write(out: TextIO, chunks: Iterator[str] | Iterator[bytes]) -> None:
    """Write chunks as they come, flushing so a killed run keeps what it wrote; a binary
    exporter's bytes go to the file's byte stream."""
    for chunk in chunks:
        if isinstance(chunk, bytes):
            out.flush()
            out.buffer.write(chunk)
            out.buffer.flush()
        else:
            out.write(chunk)
            if chunk.endswith("\n"):
                out.flush()


def cmd_validate(args: argparse.Namespace, registry: Registry) -> int:
    pipeline = load_pipeline(args.pipeline, registry, check=_model_missing)
    steps = ", ".join(step.name for step in pipeline.steps)
    print(f"{pipeline.path}: pipeline '{pipeline.name}' is valid ({len(pipeline.steps)} steps: {steps})")
    return 0


def _model_missing(step: PipelineStep, where: Any) -> PresspipeError | None:
    """E303 when the step names a spaCy model that is not installed (checked without loading spaCy)."""
    model = step.config.get("model")
    if not isinstance(model, str) or model_installed(model):
        return None
    at = where.at("steps", step.index - 1, "with", "model")
    return PresspipeError(E.E303, where=at, index=step.index, name=step.name, model=model)


def cmd_plugins(args: argparse.Namespace, registry: Registry) -> int:
    rows: list[dict[str, Any]] = [
        {
            "name": plugin.name,
            "module": plugin.module,
            "version": plugin.version,
            "steps": [{"name": s, "version": registry.steps[s].version} for s in plugin.steps],
            "exporters": list(plugin.exporters),
            "readers": list(plugin.readers),
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
        for reader in row["readers"]:
            spec = registry.readers[reader]
            takes = ", ".join([*spec.patterns, *(f"{scheme}:" for scheme in spec.schemes)])
            print(f"  reader {reader} ({takes})")
    for row in failed:
        print(f"{row['name']} FAILED TO LOAD: {row['error']}")
    return 0


def cmd_schema(args: argparse.Namespace, registry: Registry) -> int:
    if args.which is None:
        print(
            "presspipe schema: say which schema:\n"
            "  presspipe schema document    the documents `presspipe run` writes "
            "(add --pipeline news for the keys its steps add)\n"
            "  presspipe schema pipeline    pipeline YAML files, with every installed step's options",
            file=sys.stderr,
        )
        return 2
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
    from presspipe.store import StoreError

    try:
        return _serve(args, registry)
    except (StoreError, ValueError, OSError) as error:
        print(f"presspipe: error: {error}", file=sys.stderr)
        return 2


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve(args: argparse.Namespace, registry: Registry) -> int:
    """Open the store, ingest a processed JSONL if given, and run the API with uvicorn."""
    import uvicorn

    from presspipe.api import Settings, create_app
    from presspipe.api.settings import TOKEN_ENV_VAR
    from presspipe.store import open_store

    settings = Settings.from_env(
        store=args.store,
        pipelines_dir=args.pipelines,
        reads=args.reads,
        max_body_bytes=args.max_body_bytes,
        workers=args.workers,
        limits=Limits(max_chars=args.max_chars, timeout=args.timeout),
        allowed_hosts=_allowed_hosts(args.allowed_hosts, args.host),
    )
    _check_store_directory(settings.store)
    if args.ingest is not None and not Path(args.ingest).is_file():
        raise PresspipeError(E.E407, path=args.ingest)
    listening = _listen(args.host, args.port)
    store = open_store(settings.store)
    if args.ingest is not None:
        counts = store.ingest_jsonl(args.ingest)
        for reason in counts.skipped:
            print(f"presspipe: not ingested: {reason}", file=sys.stderr)
        print(
            f"presspipe: ingested {args.ingest}: {counts.stored} stored, {counts.unchanged} already stored, "
            f"{len(counts.skipped)} skipped",
            file=sys.stderr,
        )
    if settings.token is None and not _is_loopback(args.host):
        print(
            f"presspipe: warning: serving on {args.host} with no {TOKEN_ENV_VAR}: anyone who reaches it can submit",
            file=sys.stderr,
        )
    app = create_app(settings, registry=registry, store=store)
    # Workers forked now, before uvicorn starts threads; pipelines run in them, never in here.
    app.state.services.processing.start()
    print(
        f"presspipe: serving {_count(store.count(), 'document')} at http://{args.host}:{args.port}/",
        file=sys.stderr,
    )
    # SIGTERM: requests still open after SHUTDOWN_SECONDS are cancelled, then workers are killed.
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=SHUTDOWN_SECONDS)
    )
    try:
        server.run(sockets=[listening])
    finally:
        listening.close()
        store.close()
    return 0


SHUTDOWN_SECONDS = 3


def _allowed_hosts(names: str | None, host: str) -> tuple[str, ...]:
    """The names ``--allowed-hosts`` gives, or the bound address, localhost and 127.0.0.1."""
    from presspipe.api.hardening import host_name

    if names is None:
        return tuple(dict.fromkeys((host_name(host), "localhost", "127.0.0.1")))
    return tuple(host_name(name) for name in names.split(",") if name.strip())


def _check_store_directory(url: str) -> None:
    """Refuse a SQLite store in a directory that does not exist: a typo, not a store to create."""
    from presspipe.store import sqlite_path

    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise PresspipeError(E.E405, url=url, directory=path.parent)


def _listen(host: str, port: int) -> socket.socket:
    """Bind the server's socket now, so a busy port is said before anything says "serving"."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    # Accepted connections inherit it: without it a response written in two parts (headers,
    # then body) waits for the client's delayed ACK, 40 ms a request on a kept-alive connection.
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        listening.bind((host, port))
        listening.listen(2048)
    except OSError as error:
        listening.close()
        raise PresspipeError(E.E406, host=host, port=port, problem=error.strerror or error) from None
    return listening


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


COMMANDS: dict[str, Callable[[argparse.Namespace, Registry], int]] = {
    "run": cmd_run,
    "validate": cmd_validate,
    "plugins": cmd_plugins,
    "schema": cmd_schema,
    "serve": cmd_serve,
}
"""What each command of ``arguments.build_parser`` runs."""
