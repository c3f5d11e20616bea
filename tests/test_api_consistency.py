"""One error shape and one status rule, on a real `presspipe serve` over loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .servers import presspipe_serve

LIGHT = "name: light\nsteps:\n  - use: clean.text\n"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    directory = tmp_path_factory.mktemp("api")
    (directory / "pipelines").mkdir()
    (directory / "pipelines" / "light.yaml").write_text(LIGHT, encoding="utf-8")
    with (
        presspipe_serve("--store", "a.db", "--pipelines", "pipelines", cwd=directory) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        yield client


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error of a response, checked to have the one shape every error has."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def test_a_negative_limit_is_an_invalid_parameter(api: httpx.Client) -> None:
    error = error_of(api.get("/v1/documents", params={"limit": -1}), 422)
    assert error["code"] == "invalid_parameter" and error["message"].startswith("query.limit:")


def test_an_unknown_pipeline_is_404_wherever_it_is_named(api: httpx.Client) -> None:
    for response in (
        api.get("/v1/pipelines/nope"),
        api.get("/v1/schema/document", params={"pipeline": "nope"}),
        api.post("/v1/documents", params={"pipeline": "nope"}, json={"text": "a"}),
        api.post("/v1/batches", params={"pipeline": "nope"}, json={"documents": [{"text": "a"}]}),
    ):
        error = error_of(response, 404)
        assert error["code"] == "unknown_pipeline" and "light" in error["message"]


def test_unknown_query_parameters_are_refused_by_name(api: httpx.Client) -> None:
    error = error_of(api.get("/v1/documents", params={"foo": "bar", "entitiy": "x"}), 422)
    assert error["code"] == "unknown_parameter"
    assert "'entitiy', 'foo'" in error["message"] and "entity" in error["message"]
    error = error_of(
        api.post("/v1/documents", params={"pipeline": "light", "x": "1"}, json={"text": "a"}), 422
    )
    assert error["code"] == "unknown_parameter"


def test_a_text_body_is_read_in_the_charset_its_content_type_names(api: httpx.Client) -> None:
    response = api.post(
        "/v1/documents",
        params={"pipeline": "light"},
        content="Le café de la gare.".encode("iso-8859-1"),
        headers={"Content-Type": "text/plain; charset=iso-8859-1"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["text"] == "Le café de la gare."
    error = error_of(
        api.post(
            "/v1/documents",
            params={"pipeline": "light"},
            content=b"a",
            headers={"Content-Type": "text/plain; charset=klingon"},
        ),
        415,
    )
    assert error["code"] == "unsupported_charset" and "klingon" in error["message"]


def test_a_body_without_a_content_type_is_refused(api: httpx.Client) -> None:
    request = api.build_request("POST", "/v1/documents", params={"pipeline": "light"}, content=b"A story.")
    assert "content-type" not in request.headers
    error = error_of(api.send(request), 415)
    assert error["code"] == "unsupported_media_type" and "no Content-Type" in error["message"]


def test_a_document_with_neither_text_nor_html_is_told_to_give_one(api: httpx.Client) -> None:
    error = error_of(api.post("/v1/documents", params={"pipeline": "light"}, json={"title": "x"}), 422)
    assert error["code"] == "invalid_body"
    assert "give 'text' or 'html'" in error["message"] and "'title' is not a field" in error["message"]


def test_batch_results_are_created_once_then_unchanged_with_errors_as_documents_give_them(
    api: httpx.Client,
) -> None:
    documents = [{"text": "Twice the same story."}, {"text": "Twice the same story."}, {"html": "<p>x</p>"}]
    response = api.post("/v1/batches", params={"pipeline": "light"}, json={"documents": documents})
    assert response.status_code == 202, response.text
    batch = response.json()
    deadline = time.monotonic() + 60
    while batch["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.1)
        batch = api.get(batch["url"]).json()
    assert [r["status"] for r in batch["results"]] == ["created", "unchanged", "failed"]
    [error] = batch["results"][2]["errors"]
    assert set(error) == {"step", "code", "message"} and error["code"] == "input.html"


def test_paths_and_methods_no_route_takes_answer_in_the_same_shape(api: httpx.Client) -> None:
    assert error_of(api.get("/v1/nothing"), 404)["code"] == "not_found"
    assert error_of(api.delete("/v1/documents"), 405)["code"] == "method_not_allowed"
