"""`GET /metrics` on a real server after real requests, and `presspipe run --stats`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from .conftest import SEED
from .servers import presspipe_serve


def scrape(base: str, token: str | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(
        urllib.request.Request(f"{base}/metrics", headers=headers), timeout=30
    ) as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_count_requests_documents_steps_and_the_batch_queue(tmp_path):
    with presspipe_serve("--store", "m.db", cwd=tmp_path) as base:
        request = urllib.request.Request(
            f"{base}/v1/documents?pipeline=news",
            data=SEED.read_bytes(),
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 201
            document_id = json.load(response)["id"]
        urllib.request.urlopen(f"{base}/v1/documents/{document_id}", timeout=30).close()
        try:
            urllib.request.urlopen(f"{base}/v1/documents/nope", timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code == 404
        try:
            urllib.request.urlopen(f"{base}/no/such/page/{document_id}", timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code == 404
        metrics = scrape(base)

    def value(name: str, **labels: str) -> float:
        return metrics[(name, tuple(sorted(labels.items())))]

    post = {"method": "POST", "route": "/v1/documents"}
    assert value("presspipe_http_requests_total", **post, status="201") == 1
    assert value("presspipe_http_request_duration_seconds_count", **post) == 1
    assert value("presspipe_http_request_duration_seconds_sum", **post) > 0
    one = {"method": "GET", "route": "/v1/documents/{id}"}
    assert value("presspipe_http_requests_total", **one, status="200") == 1
    assert value("presspipe_http_requests_total", **one, status="404") == 1
    # Paths no route takes share one series, so that scanners cannot grow the series without end.
    assert value("presspipe_http_requests_total", method="GET", route="(unmatched)", status="404") == 1
    assert value("presspipe_documents_total", pipeline="news", outcome="done") == 1
    for step in ("clean.text", "entities.spacy", "quotes.extract", "summarize.extractive"):
        assert value("presspipe_step_documents_total", pipeline="news", step=step) == 1
        assert value("presspipe_step_failures_total", pipeline="news", step=step) == 0
    assert value("presspipe_step_seconds_total", pipeline="news", step="entities.spacy") > 0
    assert value("presspipe_batch_queue_depth") == 0


def test_run_stats_writes_the_same_counts_as_json(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The mayor spoke in Madrid on Monday.", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("Another story, about the port of Lisbon.", encoding="utf-8")
    (tmp_path / "in" / "c.html").write_text("<p>HTML, which this pipeline cannot read</p>", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("name: light\nsteps:\n  - use: clean.text\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "run", "p.yaml", "in/", "--out", "o.jsonl", "--stats", "s.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # the HTML document failed
    stats = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert stats["run"]["documents"] == 3 and stats["run"]["done"] == 2 and stats["run"]["failed"] == 1
    light = stats["pipelines"]["light"]
    assert light["documents"] == {"done": 2, "failed": 1}
    assert light["steps"]["clean.text"]["processed"] == 2
    assert light["steps"]["presspipe"] == {"processed": 0, "failed": 1, "seconds": 0.0}


def test_made_up_methods_paths_and_statuses_add_no_series(tmp_path):
    import httpx

    # On a --reads token server too, where a made-up method on a known path is a 405.
    env = {"PRESSPIPE_API_TOKEN": "s3cret"}
    with presspipe_serve("--store", "m.db", "--reads", "token", cwd=tmp_path, env=env) as base:
        before = len(scrape(base, "s3cret"))
        with httpx.Client(base_url=base, timeout=30) as client:
            for n in range(300):
                for path in ("/healthz", "/v1/documents", f"/made/up/{n}"):
                    assert client.request(f"M{n:06d}", path).status_code in (401, 404, 405)
            client.headers["Authorization"] = "Bearer s3cret"
            docs = client.get("/docs").text
            assets = re.findall(r'(?:src|href)="(/static-offline-docs/[^"]+)"', docs)
            assert assets
            for asset in assets:
                assert client.get(asset).status_code == 200
        metrics = scrape(base, "s3cret")
    requests = {
        dict(labels)["method"]: 0 for name, labels in metrics if name == "presspipe_http_requests_total"
    }
    assert set(requests) <= {"GET", "HEAD", "POST", "other"}
    assert len(metrics) - before < 120, f"{len(metrics) - before} new samples"
    routes = {dict(labels)["route"] for name, labels in metrics if name == "presspipe_http_requests_total"}
    assert "/static-offline-docs/{path}" in routes
    assert all(not route.startswith("/made/") for route in routes)
    unmatched = [
        value
        for (name, labels), value in metrics.items()
        if name == "presspipe_http_requests_total" and dict(labels)["route"] == "(unmatched)"
    ]
    assert sum(unmatched) == 300  # the made-up paths only: /docs's assets are under their mount
