"""The corpus routes' wiring, on SQLite and PostgreSQL: rankings, a profile, quotes, outlets, exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from presspipe.api import Settings, create_app
from presspipe.registry import load_registry
from presspipe.store import open_store

from . import test_store
from .corpus_documents import article

store_url = test_store.store_url
"""Each test runs on SQLite and on PostgreSQL (see test_store)."""


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_registry()


@pytest.fixture
def client(store_url: str, tmp_path: Path, registry) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    store = open_store(store_url)
    store.put_many(
        [
            article(
                1, ["Volodymyr Zelenskyy", "Nicolás Maduro"], quotes=[(0, "We hold")], published="2026-01-06"
            ),
            article(2, ["Zelenskyy"], quotes=[(0, "We stand"), (0, "We win")], published="2026-02-10"),
            article(
                3, ["Nicolas Maduro"], quotes=[(0, "No comment")], published="2026-02-11", kind="indirect"
            ),
        ]
    )
    with TestClient(create_app(Settings(store=store_url), registry=registry, store=store)) as opened:
        yield opened
    store.close()


def test_speakers_rank_by_quotes_with_surnames_joined(client: TestClient) -> None:
    body = client.get("/v1/speakers").json()
    assert [(i["key"], i["quotes"], i["documents"]) for i in body["items"]] == [
        ("person:volodymyr-zelenskyy", 3, 2),
        ("person:nicolas-maduro", 1, 1),
    ]
    first = body["items"][0]
    assert first["first"] == "2026-01-06" and first["last"] == "2026-02-10"
    assert first["url"] == "/v1/entities/person:volodymyr-zelenskyy"
    assert "mentions" not in first  # a speaker ranking counts quotes, not mentions
    assert [i["key"] for i in client.get("/v1/speakers?kind=indirect").json()["items"]] == [
        "person:nicolas-maduro"
    ]
    page = client.get("/v1/speakers?limit=1").json()
    assert page["next"].startswith("/v1/speakers?limit=1&cursor=")
    assert [i["key"] for i in client.get(page["next"]).json()["items"]] == ["person:nicolas-maduro"]


def test_entities_and_documents_find_people_by_lower_case_surname(client: TestClient) -> None:
    items = client.get("/v1/entities?entity=maduro").json()["items"]
    assert [(i["key"], i["documents"]) for i in items] == [("person:nicolas-maduro", 2)]
    documents = client.get("/v1/documents?entity=zelenskyy").json()["items"]
    assert {d["id"] for d in documents} == {"art0001", "art0002"}
    assert {d["id"] for d in client.get("/v1/documents?speaker=zelenskyy").json()["items"]} == {
        "art0001",
        "art0002",
    }
    labels = client.get("/v1/entities?label=GPE").json()["items"]
    assert [(i["key"], i["documents"]) for i in labels] == [("gpe:kyiv", 3)]


def test_profile_has_timeline_cooccurring_and_latest_quotes(client: TestClient) -> None:
    profile = client.get("/v1/entities/person:volodymyr-zelenskyy?period=month").json()
    assert (profile["documents"], profile["quotes"], profile["names"]) == (2, 3, ["person:zelenskyy"])
    assert [(p["period"], p["documents"], p["quotes"]) for p in profile["timeline"]] == [
        ("2026-01", 1, 1),
        ("2026-02", 1, 2),
    ]
    assert [c["key"] for c in profile["cooccurring"]] == ["gpe:kyiv", "person:nicolas-maduro"]
    assert profile["latest_quotes"][0]["text"] == "\u201cWe stand\u201d"
    weeks = client.get("/v1/entities/person:volodymyr-zelenskyy?period=week").json()["timeline"]
    assert len(weeks) == 6 and weeks[0]["period"] == "2026-W02"


def test_unknown_entity_is_a_404_and_bad_parameters_are_422(client: TestClient) -> None:
    missing = client.get("/v1/entities/person:nobody")
    assert missing.status_code == 404 and "person:nobody" in missing.json()["error"]["message"]
    bad = client.get("/v1/entities/person:volodymyr-zelenskyy?period=decade")
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("query.period")
    cursor = client.get("/v1/speakers?cursor=nope")
    assert cursor.status_code == 422 and "invalid cursor" in cursor.json()["error"]["message"]
    dates = client.get("/v1/quotes?published_from=yesterday")
    assert dates.status_code == 422 and "published_from" in dates.json()["error"]["message"]
    empty = client.get("/v1/quotes?speaker=...")
    assert empty.status_code == 422 and "'speaker' filter" in empty.json()["error"]["message"]
    nul = client.get("/v1/entities?entity=a%00b")
    assert nul.status_code == 422 and "NUL" in nul.json()["error"]["message"]


def test_quotes_carry_speaker_and_document(client: TestClient) -> None:
    items = client.get("/v1/quotes?speaker=ZELENSKYY&q=win").json()["items"]
    assert len(items) == 1
    assert items[0]["speaker"] == {
        "text": "Zelenskyy",
        "name": "Volodymyr Zelenskyy",
        "key": "person:volodymyr-zelenskyy",
    }
    assert items[0]["document"]["id"] == "art0002" and items[0]["document"]["outlet"] == "example0.com"


def test_outlets_are_counts_and_a_filter(client: TestClient) -> None:
    outlets = client.get("/v1/outlets").json()["items"]
    assert outlets == [
        {"outlet": "example1.com", "documents": 2, "quotes": 2},
        {"outlet": "example0.com", "documents": 1, "quotes": 2},
    ]
    assert [i["key"] for i in client.get("/v1/speakers?outlet=example0.com").json()["items"]] == [
        "person:volodymyr-zelenskyy"
    ]


def test_quote_export_is_a_csv_with_a_speaker_column_and_jsonl_too(client: TestClient) -> None:
    response = client.get("/v1/export/quotes?format=csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["speaker"] for r in rows].count("Volodymyr Zelenskyy") == 3 and len(rows) == 4
    lines = client.get("/v1/export/quotes?format=jsonl&speaker=maduro").text.splitlines()
    assert [json.loads(line)["speaker_key"] for line in lines] == ["person:nicolas-maduro"]
    entities = list(csv.DictReader(io.StringIO(client.get("/v1/export/entities?label=PERSON").text)))
    assert [(e["key"], e["documents"], e["mentions"]) for e in entities] == [
        ("person:volodymyr-zelenskyy", "2", "5"),
        ("person:nicolas-maduro", "2", "3"),
    ]
    assert client.get("/v1/export/quotes?format=xml").status_code == 422


def test_parquet_exports_read_back_with_nested_lists(client: TestClient) -> None:
    import pyarrow.parquet as pq

    def table(url: str):  # type: ignore[no-untyped-def]
        response = client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/vnd.apache.parquet"
        return pq.read_table(io.BytesIO(response.content))

    quotes = table("/v1/export/quotes?format=parquet")
    as_csv = list(csv.DictReader(io.StringIO(client.get("/v1/export/quotes?format=csv").text)))
    assert quotes.num_rows == len(as_csv) > 0
    assert quotes.column_names == list(as_csv[0])
    assert quotes.column("quote").to_pylist() == [row["quote"] for row in as_csv]
    entities = table("/v1/export/entities?format=parquet&label=PERSON")
    assert str(entities.schema.field("documents").type) == "int64"
    assert set(entities.column("label").to_pylist()) == {"PERSON"}
    documents = table("/v1/export?format=parquet")
    assert str(documents.schema.field("entities").type).startswith("list<element: struct<id: string")
    row = documents.to_pylist()[0]
    assert row["entities"] and isinstance(row["entities"][0]["mentions"], list)
    assert row["pipeline"] == "news" and row["errors"] == []


@pytest.fixture
def gendered(store_url: str, registry) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    store = open_store(store_url)
    store.put_many(
        [
            article(
                1,
                ["Ada Byron"],
                genders={0: "female"},
                quotes=[(0, "One"), (0, "Two")],
                published="2026-01-06",
                uri="https://a.example/1",
            ),
            article(
                2,
                ["Alan Turing"],
                genders={0: "male"},
                quotes=[(0, "Three")],
                published="2026-02-10",
                uri="https://b.example/2",
            ),
            article(
                3,
                ["Ada Byron", "Kim Lee"],
                genders={0: "female", 1: None},
                quotes=[(1, "Four")],
                published="2026-02-11",
                uri="https://a.example/3",
            ),
        ]
    )
    with TestClient(create_app(Settings(store=store_url), registry=registry, store=store)) as opened:
        yield opened
    store.close()


def test_speakers_and_entities_carry_gender_and_speakers_filter_by_it(gendered: TestClient) -> None:
    body = gendered.get("/v1/speakers").json()
    assert [(i["key"], i["gender"]) for i in body["items"]] == [
        ("person:ada-byron", "female"),
        ("person:alan-turing", "male"),
        ("person:kim-lee", "unknown"),
    ]
    assert [i["key"] for i in gendered.get("/v1/speakers?gender=female").json()["items"]] == [
        "person:ada-byron"
    ]
    assert [i["key"] for i in gendered.get("/v1/speakers?gender=unknown").json()["items"]] == [
        "person:kim-lee"
    ]
    quotes = gendered.get("/v1/quotes?gender=male").json()["items"]
    assert [q["text"] for q in quotes] == ["\u201cThree\u201d"]
    exported = gendered.get("/v1/export/quotes?format=csv&gender=female").text
    assert [row["quote"].strip("\u201c\u201d") for row in csv.DictReader(io.StringIO(exported))] == [
        "One",
        "Two",
    ]
    entities = {i["key"]: i["gender"] for i in gendered.get("/v1/entities").json()["items"]}
    assert entities["person:ada-byron"] == "female" and entities["gpe:kyiv"] is None
    assert gendered.get("/v1/entities/person:alan-turing").json()["gender"] == "male"
    bad = gendered.get("/v1/speakers?gender=other")
    assert bad.status_code == 422 and "gender" in bad.text


def test_gender_counts_quotes_and_speakers_per_outlet_and_month(gendered: TestClient) -> None:
    body = gendered.get("/v1/gender").json()
    assert body["quotes"] == {"female": 2, "male": 1, "unknown": 1}
    assert body["speakers"] == {"female": 1, "male": 1, "unknown": 1}
    assert body["female_share"] == round(2 / 3, 4) and body["female_speaker_share"] == 0.5
    assert [(o["outlet"], o["quotes"]) for o in body["outlets"]] == [
        ("a.example", {"female": 2, "male": 0, "unknown": 1}),
        ("b.example", {"female": 0, "male": 1, "unknown": 0}),
    ]
    assert [(m["month"], m["quotes"]["female"], m["quotes"]["male"]) for m in body["months"]] == [
        ("2026-01", 2, 0),
        ("2026-02", 0, 1),
    ]
    february = gendered.get("/v1/gender?published_from=2026-02-01&outlet=b.example").json()
    assert february["quotes"] == {"female": 0, "male": 1, "unknown": 0} and february["female_share"] == 0.0
    empty = gendered.get("/v1/gender?published_from=2030-01-01").json()
    assert empty["female_share"] is None and empty["outlets"] == [] and empty["months"] == []


def test_speakers_carry_their_role_and_filter_by_it(store_url: str, registry) -> None:  # type: ignore[no-untyped-def]
    with open_store(store_url) as store:
        store.put_many(
            [
                article(1, ["Abbas Gallyamov"], roles={0: "expert"}, quotes=[(0, "Jealous")]),
                article(2, ["Alexei Puskov"], roles={0: "politician"}, quotes=[(0, "Weak")]),
                article(3, ["Margarita Simonyan"], quotes=[(0, "Envy")]),
            ]
        )
        with TestClient(create_app(Settings(store=store_url), registry=registry, store=store)) as client:
            body = client.get("/v1/speakers").json()
            assert {i["key"]: i["role"] for i in body["items"]} == {
                "person:abbas-gallyamov": "expert",
                "person:alexei-puskov": "politician",
                "person:margarita-simonyan": None,
            }
            experts = client.get("/v1/speakers?role=expert").json()["items"]
            assert [i["key"] for i in experts] == ["person:abbas-gallyamov"]
            quotes = client.get("/v1/quotes?role=politician").json()["items"]
            assert [q["speaker"]["key"] for q in quotes] == ["person:alexei-puskov"]
            assert client.get("/v1/speakers?role=astronaut").status_code == 422
