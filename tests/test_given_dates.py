"""Dates that callers give (``meta.published``, ``meta.modified``): normalised when unambiguous,
refused naming the field and the value otherwise, through the API on a real port and JSONL
through the CLI in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from presspipe.given_dates import GivenDateError, normalise_date
from presspipe.store import normalise_published, open_store

from .servers import plain_pipeline, presspipe_serve

NORMALISED = {
    "2026-03-02": "2026-03-02",
    " 2026-03-02 ": "2026-03-02",
    "20260302": "2026-03-02",
    "2026-W10-1": "2026-03-02",
    "2026-03-02T10:00": "2026-03-02T10:00:00",
    "2026-03-02 10:00:00.75": "2026-03-02T10:00:00",
    "2026-03-02T10:00:00+01:00": "2026-03-02T09:00:00Z",
    "2026-03-02T23:30:00-05:00": "2026-03-03T04:30:00Z",
    "2026-03-02T09:00Z": "2026-03-02T09:00:00Z",
    "Mon, 02 Mar 2026 10:00:00 +0100": "2026-03-02T09:00:00Z",
    "02 Mar 2026 10:00 GMT": "2026-03-02T10:00:00Z",
    "Mon, 02 Mar 2026 10:00:00 EST": "2026-03-02T15:00:00Z",
    "Mon, 02 Mar 2026 10:00:00 -0000": "2026-03-02T10:00:00",  # RFC 2822's "zone unknown"
}
REFUSED = [
    "03/02/2026",  # March or February
    "yesterday",
    "2026-13-45",
    "2026-02-30",
    "2026-03",
    "Tue, 02 Mar 2026 10:00:00 +0100",  # the 2nd is a Monday
    "02 Mar 2026",  # RFC 2822 has a time
    "",
    "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
]


@pytest.mark.parametrize("value", NORMALISED)
def test_unambiguous_forms_become_the_form_the_store_sorts_on(value: str) -> None:
    canonical = normalise_date(value)
    assert canonical == NORMALISED[value]
    assert normalise_date(canonical) == canonical  # normalising twice changes nothing
    assert normalise_published(canonical) == normalise_published(NORMALISED[value])
    assert normalise_published(canonical) is not None


@pytest.mark.parametrize("value", [*REFUSED, 20260302, ["2026-03-02"]])
def test_anything_else_is_refused_naming_the_field_and_the_forms(value: object) -> None:
    with pytest.raises(GivenDateError) as raised:
        normalise_date(value, "meta.modified")
    message = str(raised.value)
    assert message.startswith("meta.modified ")
    assert "ISO 8601" in message or "out of range" in message
    if isinstance(value, str) and value:
        assert repr(value) in message


def test_null_is_no_date() -> None:
    assert normalise_date(None) is None


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dates")
    plain_pipeline(folder / "pipelines")
    return folder


@pytest.fixture(scope="module")
def base(folder: Path) -> Iterator[str]:
    with presspipe_serve("--store", "s.db", "--pipelines", "pipelines", cwd=folder) as url:
        yield url


def post(base: str, body: object) -> httpx.Response:
    return httpx.post(f"{base}/v1/documents?pipeline=plain", json=body, timeout=60)


@pytest.mark.parametrize("field", ["published", "modified"])
@pytest.mark.parametrize("value", ["03/02/2026", "yesterday", "2026-13-45"])
def test_the_api_refuses_an_ambiguous_date_with_a_422_naming_field_and_value(
    base: str, field: str, value: str
) -> None:
    before = httpx.get(f"{base}/healthz", timeout=30).json()["documents"]
    answer = post(base, {"text": f"A dated story {field} {value}.", "meta": {field: value}})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_date"
    assert error["message"].startswith(f"body.meta.{field} {value!r} is not a date in ISO 8601")
    assert "RFC 2822" in error["message"]
    assert httpx.get(f"{base}/healthz", timeout=30).json()["documents"] == before


def test_the_api_stores_a_normalised_date_and_filters_on_it(base: str) -> None:
    meta = {"published": "Mon, 02 Mar 2026 23:30:00 -0500", "modified": "2026-03-04T08:00:00+01:00"}
    answer = post(base, {"text": "A story with an RFC 2822 date.", "meta": meta})
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert stored["meta"]["published"] == "2026-03-03T04:30:00Z"
    assert stored["meta"]["modified"] == "2026-03-04T07:00:00Z"
    found = httpx.get(
        f"{base}/v1/documents",
        params={"published_from": "2026-03-03", "published_to": "2026-03-03"},
        timeout=30,
    ).json()
    assert stored["id"] in [d["id"] for d in found["items"]]


def test_in_a_batch_the_badly_dated_document_fails_alone(base: str) -> None:
    documents = [
        {"text": "Batch story one.", "meta": {"published": "2026-03-02"}},
        {"text": "Batch story two.", "meta": {"published": "yesterday"}},
        {"text": "Batch story three."},
    ]
    answer = httpx.post(f"{base}/v1/batches?pipeline=plain", json={"documents": documents}, timeout=60)
    assert answer.status_code == 202, answer.text
    batch = answer.json()
    deadline = time.monotonic() + 120
    while batch["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, batch
        time.sleep(0.2)
        batch = httpx.get(f"{base}{batch['url']}", timeout=30).json()
    assert [r["status"] for r in batch["results"]] == ["created", "failed", "created"]
    [error] = batch["results"][1]["errors"]
    assert error["code"] == "invalid_date"
    assert error["message"].startswith("documents.1.meta.published 'yesterday' is not a date")


def test_jsonl_input_names_file_line_and_field_skips_that_record_and_runs_the_rest(tmp_path: Path) -> None:
    records = [
        {"text": "First story, dated well.", "meta": {"published": "2026-03-02T10:00:00+01:00"}},
        {"text": "Second story, dated badly.", "meta": {"published": "03/02/2026"}},
        {"text": "Third story, modified badly.", "meta": {"modified": "2026-13-45"}},
        {"text": "Fourth story, RFC 2822.", "meta": {"published": "02 Mar 2026 10:00 GMT"}},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    plain_pipeline(tmp_path)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "presspipe",
            "run",
            "plain.yaml",
            "in.jsonl",
            "--out",
            "out.jsonl",
            "--store",
            "s.db",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "skipped in.jsonl:2: meta.published '03/02/2026' is not a date in ISO 8601" in run.stderr
    assert "skipped in.jsonl:3: meta.modified '2026-13-45' is not a date in ISO 8601" in run.stderr
    written = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["meta"]["published"] for d in written] == ["2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"]
    with open_store(tmp_path / "s.db") as store:
        assert sorted(d["meta"]["published"] for d in store.iter_documents()) == [
            "2026-03-02T09:00:00Z",
            "2026-03-02T10:00:00Z",
        ]
