"""The Python API as a notebook meets it: a fresh interpreter, ``import presspipe``, ``load``, call, pipe."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from .conftest import SEED


def notebook(code: str, cwd: Path) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_load_news_and_process_a_text_a_plain_dict_and_a_stream(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed, encoding="utf-8")
    found = notebook(
        """
        import json, pathlib, presspipe
        nlp = presspipe.load("news")
        text = pathlib.Path("seed.txt").read_text()
        one = nlp(text)
        plain = nlp({"text": "Angela Merkel met Emmanuel Macron in Paris on Monday.", "meta": {"title": "A visit"}})
        stream = nlp.pipe((text for _ in range(5)), batch_size=2, workers=2)
        first = next(stream)  # a generator: nothing is collected before the first document
        rest = list(stream)
        print(json.dumps({
            "repr": repr(nlp),
            "one": one, "plain": plain,
            "streamed": [first["id"], *[d["id"] for d in rest]],
            "same": [first["entities"] == one["entities"], rest[-1]["quotes"] == one["quotes"]],
        }))
        """,
        tmp_path,
    )
    assert found["repr"].startswith("<presspipe pipeline 'news': clean.html, clean.text")
    one, plain = found["one"], found["plain"]
    assert one["errors"] == [] and one["entities"] and one["summary"]["text"]
    assert [s["step"] for s in one["provenance"]["steps"]][-1] == "summarize.extractive"
    assert plain["errors"] == [] and plain["meta"]["title"] == "A visit"
    assert {e["name"] for e in plain["entities"]} >= {"Angela Merkel", "Emmanuel Macron"}
    assert found["streamed"] == [one["id"]] * 5 and found["same"] == [True, True]


def test_errors_carry_the_cli_codes(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: bad\nsteps:\n  - use: quotes.extrct\n", encoding="utf-8")
    found = notebook(
        """
        import json, presspipe
        codes = {}
        def code(name, call):
            try:
                call()
            except presspipe.PresspipeError as error:
                codes[name] = [error.code, error.message]
        code("unknown", lambda: presspipe.load("nwes"))
        code("bad_file", lambda: presspipe.load("bad.yaml"))
        code("bad_option", lambda: presspipe.load("news", config={"entities.spacy": {"modle": "x"}}))
        code("not_a_step", lambda: presspipe.load("news", config={"sentiment.score": {}}))
        code("missing_model", lambda: presspipe.load("news", config={"entities.spacy": {"model": "no_such_model"}}))
        nlp = presspipe.load("news", config={"entities.spacy": {"labels": ["PERSON"]}})
        code("number", lambda: nlp(42))
        code("fields", lambda: nlp({"content": "Some text.", "title": "T"}))
        code("empty", lambda: list(nlp.pipe(["A text.", "  "])))
        labels = sorted({e["label"] for e in nlp("Angela Merkel met Emmanuel Macron in Paris.")["entities"]})
        print(json.dumps({"codes": codes, "labels": labels}))
        """,
        tmp_path,
    )
    codes = found["codes"]
    assert codes["unknown"][0] == "E007" and "Installed pipelines: news" in codes["unknown"][1]
    assert codes["bad_file"][0] == "E003" and "bad.yaml:3" in codes["bad_file"][1]
    assert "quotes.extract" in codes["bad_file"][1]
    assert codes["bad_option"][0] == "E004" and "modle" in codes["bad_option"][1]
    assert codes["not_a_step"][0] == "E602" and "entities.spacy" in codes["not_a_step"][1]
    assert codes["missing_model"][0] == "E301" and "no_such_model" in codes["missing_model"][1]
    assert codes["number"] == [
        "E601",
        "nlp(document): a document is a str (its text) or a dict with 'text' or 'html' "
        "(and optionally id, meta, uri); not int",
    ]
    assert "'content' and 'title' are not fields" in codes["fields"][1]
    assert codes["empty"][0] == "E601" and codes["empty"][1].startswith("pipe(): item 1:")
    assert found["labels"] == ["PERSON"]


def test_a_failed_document_comes_back_with_its_errors_and_html_is_cleaned(tmp_path):
    pipeline = tmp_path / "short.yaml"
    pipeline.write_text("name: short\nsteps:\n  - use: clean.html\n  - use: clean.text\n", encoding="utf-8")
    found = notebook(
        """
        import json, presspipe
        nlp = presspipe.load("short.yaml", max_chars=50)
        page = nlp({"html": "<html><body><article><p>" + "Words in a page. " * 20 + "</p></article></body></html>",
                    "uri": "https://example.org/a"})
        short = presspipe.load("short.yaml")({"html": "<html><body><p>Hello there, world: " + "a page of words " * 5 + "</p></body></html>"})
        print(json.dumps({"page": page, "short": short}))
        """,
        tmp_path,
    )
    page = found["page"]
    assert page["source"]["uri"] == "https://example.org/a"
    assert [e["code"] for e in page["errors"]] == ["too_long"]
    assert found["short"]["errors"] == [] and "Hello there" in found["short"]["text"]
