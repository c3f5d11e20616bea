"""The command line's words: every command, argument and help text of ``presspipe``.

``cli`` runs what is parsed here; ``args.command`` names the command (``cli.COMMANDS``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import presspipe
from presspipe.executors import EXECUTORS
from presspipe.limits import ConnectionLimits, Limits

DESCRIPTION = """\
Turn raw news documents (text, HTML, JSONL, WARC) into clean, annotated JSON: entities, quotes
and a summary, checked against a schema. A pipeline is a YAML file of steps; `news` is installed.

  presspipe run news seeds/ --out out.jsonl     process a folder of articles
  presspipe serve --store out/presspipe.db      the HTTP API and document pages over a store
"""
SCHEMAS = ("document", "pipeline")
EPILOG = "Run 'presspipe COMMAND --help' for a command's options."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presspipe",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"presspipe {presspipe.__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND", title="commands")

    run = commands.add_parser(
        "run",
        help="run a pipeline over input files, directories or stdin",
        description="Run a pipeline over files, directories (recursively) or standard input, and write "
        "one JSON document per input to --out (written beside it and moved into place at the end) or "
        "standard output, or into a --store.",
    )
    run.add_argument("pipeline", help="pipeline YAML file, or the name of an installed pipeline (news)")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory (recursive) or - for stdin")
    run.add_argument("--out", "-o", type=Path, help="output file (default: standard output)")
    run.add_argument(
        "--format", default="jsonl", help="export format (default jsonl; see `presspipe plugins`)"
    )
    run.add_argument("--batch-size", type=_positive, default=32, help="documents per batch (default 32)")
    _add_limits(run)
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
    run.add_argument(
        "--stats",
        type=Path,
        metavar="FILE.json",
        help="at the end, write the run's counts as JSON: documents by outcome, and by pipeline "
        "step the documents processed and failed and the seconds taken (as GET /metrics counts them)",
    )
    run.set_defaults(command="run")

    validate = commands.add_parser(
        "validate",
        help="check a pipeline file without running it",
        description="Check a pipeline file without running it: its YAML, its steps, each step's options, "
        "the order of the steps and that the spaCy models it names are installed. Every problem is "
        "reported, with its line; exit status 2 if there is one.",
    )
    validate.add_argument("pipeline", help="pipeline YAML file, or the name of an installed pipeline (news)")
    validate.set_defaults(command="validate")

    plugins = commands.add_parser(
        "plugins",
        help="list plugins, their steps, exporters, readers and versions",
        description="List the installed plugins with their steps, export formats and input readers, and "
        "any plugin that failed to load.",
    )
    plugins.add_argument("--json", action="store_true", help="print JSON")
    plugins.set_defaults(command="plugins")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of output documents or of pipeline files",
        description="Print a JSON Schema: 'document' for the documents `presspipe run` writes, "
        "'pipeline' for pipeline YAML files (with every installed step's options, for editors).",
    )
    schema.add_argument(
        "which",
        nargs="?",
        choices=SCHEMAS,
        help="document: the output documents; pipeline: pipeline files",
    )
    schema.add_argument(
        "--pipeline", help="with 'document': include the keys this pipeline's steps add to the core schema"
    )
    schema.set_defaults(command="schema")

    serve = commands.add_parser(
        "serve",
        help="serve the HTTP API and document pages over a store",
        description="Serve the HTTP API (/v1, documented at /docs) and the document pages over a store. "
        "Plugins are loaded at start: restart the server to see a newly installed one.",
    )
    serve.add_argument(
        "--store", help="SQLite file or postgresql:// URL (default $PRESSPIPE_STORE or presspipe.db)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_positive, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--allowed-hosts",
        metavar="NAMES",
        help="comma-separated names the server answers to in the Host header, * for any "
        "(default: the --host address, localhost and 127.0.0.1); another Host gets 400",
    )
    serve.add_argument(
        "--max-body-bytes",
        type=_positive,
        metavar="BYTES",
        help="largest request body accepted (default $PRESSPIPE_MAX_BODY_BYTES or 10485760, 10 MiB)",
    )
    serve.add_argument("--pipelines", type=Path, metavar="DIR", help="also offer the *.yaml pipelines in DIR")
    serve.add_argument(
        "--ingest", type=Path, metavar="FILE.jsonl", help="first store this `presspipe run` output"
    )
    serve.add_argument(
        "--reads",
        choices=["open", "token"],
        default="open",
        help="token: reads need $PRESSPIPE_API_TOKEN too (pages ask for it at /login)",
    )
    _add_limits(serve)
    _add_connection_limits(serve)
    serve.set_defaults(command="serve")
    return parser


def _add_connection_limits(serve: argparse.ArgumentParser) -> None:
    defaults = ConnectionLimits()
    serve.add_argument(
        "--header-timeout",
        type=_seconds,
        default=defaults.header_timeout,
        metavar="SECONDS",
        help=f"time a connection has to send a complete request head (default {defaults.header_timeout:g}); "
        "then 408 and closed",
    )
    serve.add_argument(
        "--body-timeout",
        type=_seconds,
        default=defaults.body_timeout,
        metavar="SECONDS",
        help=f"time a request has to send its whole body (default {defaults.body_timeout:g}); then 408 and closed",
    )
    serve.add_argument(
        "--keep-alive",
        type=_positive,
        default=defaults.keep_alive,
        metavar="SECONDS",
        help=f"time an idle connection is kept open between requests (default {defaults.keep_alive})",
    )
    serve.add_argument(
        "--max-connections",
        type=_positive,
        default=defaults.max_connections,
        metavar="N",
        help=f"connections open at once (default {defaults.max_connections:,}); one more gets 503 and is closed",
    )


def _add_limits(command: argparse.ArgumentParser) -> None:
    """The options that bound what one document may cost, the same for ``run`` and ``serve``."""
    command.add_argument(
        "--max-chars",
        type=_positive,
        default=Limits.max_chars,
        help=f"longest input a document may have, in characters (default {Limits.max_chars:,}); "
        "longer ones fail",
    )
    command.add_argument(
        "--timeout",
        type=_seconds,
        default=Limits.timeout,
        metavar="SECONDS",
        help=f"time budget of one document (default {Limits.timeout:g}); a document over it fails "
        "and its worker process is replaced",
    )
    command.add_argument("--workers", type=_positive, default=1, help="worker processes (default 1)")


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
