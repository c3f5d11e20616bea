# ruff: noqa: RUF001 -- the seed and the tests are about typographic quotes
"""clean.text: the seed article line by line, and each rule on text the tests write."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from presspipe import RunContext, Step
from presspipe.document import new_document
from presspipe.pipeline import parse_pipeline
from presspipe.plugins.clean.body import normalise
from presspipe.plugins.clean.dates import parse_dateline
from presspipe.plugins.clean.text import CleanText
from presspipe.registry import Registry, load_registry
from presspipe.runner import Runner
from presspipe.testing import build_step
from presspipe.validate import DocumentChecker

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_88ecee838c30f0fd.txt"
BODY = (
    "The committee met on Tuesday to discuss the budget for the coming year, officials said.\n\n"
    "Members argued for several hours before agreeing on a compromise that satisfied nobody.\n\n"
    "The final vote is expected next week, according to two people familiar with the plan."
)


def clean_text_step(config: dict[str, Any] | None = None) -> Step:
    """The step as the loader builds it: its config checked, its defaults filled in."""
    return build_step("clean.text", config)


def clean(text: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    document = new_document(text=text, uri="test.txt")
    clean_text_step(config or {})([document], RunContext())
    return document


def removed(document: dict[str, Any], kind: str | None = None) -> list[str]:
    return [r["text"] for r in document["removed"] if kind is None or r["kind"] == kind]


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    return clean(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return [line for line in normalise(SEED.read_text(encoding="utf-8")).split("\n") if line]


def test_seed_meta(seed: dict[str, Any]) -> None:
    meta = seed["meta"]
    assert meta["title"] == "Trump’s superpower flex in Venezuela delivers a humbling blow to Putin’s Russia"
    assert meta["published"] == "2026-01-06T07:03:00"
    assert meta["language"] == "en"
    paragraphs = seed["text"].split("\n\n")
    headings = {h["text"]: paragraphs[h["before"]] for h in meta["headings"]}
    assert list(headings) == ["Unreliable ally", "Green with envy"]
    assert headings["Unreliable ally"].startswith("For years, Russia has sought")
    assert headings["Green with envy"].startswith("Moscow’s energy and military ties")
    assert seed["errors"] == []


def test_seed_text_has_no_caption_credit_footer_or_head(seed: dict[str, Any]) -> None:
    text = seed["text"]
    for leftover in (
        "Getty Images",
        "Pizzoferrato",
        "Matt Cardy",
        " | ",
        "News Moderator",
        "tomaskauer",
        "Jan 6, 2026",
        "Unreliable ally",
        "Green with envy",
        "humbling blow",
    ):
        assert leftover not in text
    assert text.startswith("With his lightning raid")
    assert text.endswith("obvious for everyone to see.”")


def test_seed_every_body_sentence_exactly_once(seed: dict[str, Any], seed_lines: list[str]) -> None:
    """Each body paragraph of the seed is in the text once, so is each of its sentences."""
    body = [line for line in seed_lines[2:-1] if " | " not in line and len(line.split()) > 4]
    assert len(body) == 30
    text = seed["text"]
    assert text.split("\n\n") == body
    for paragraph in body:
        for sentence in re.split(r"(?<=[.!?”])\s+(?=[“A-Z])", paragraph):
            assert text.count(sentence) == 1, sentence
    # The two captions repeat body text: that text stays, once.
    assert text.count("Moscow didn’t lift a finger to stop Azerbaijan") == 1
    assert text.count("All of Russia is asking itself why we don’t deal with our enemies") == 1


def test_seed_everything_removed_is_listed(seed: dict[str, Any], seed_lines: list[str]) -> None:
    paragraphs = seed["text"].split("\n\n")
    gone = removed(seed)
    for line in seed_lines:
        if line in paragraphs:
            continue
        caption, _, credit = line.rpartition(" | ")
        assert line in gone or (caption in gone and credit in gone), line
    kinds = sorted(r["kind"] for r in seed["removed"])
    assert kinds == sorted(
        ["title", "dateline", "caption", "credit", "pull_quote", "credit", "footer", "heading", "heading"]
    )
    assert removed(seed, "credit") == [
        "Anthony Pizzoferrato/Middle East Images/AFP via Getty Images",
        "Matt Cardy/Getty Images",
    ]
    assert removed(seed, "footer") == ["News Moderator - Tomas Kauer https://www.tomaskauer.com/"]
    assert all(r["rule"] for r in seed["removed"])


def test_seed_unicode(seed: dict[str, Any]) -> None:
    text = seed["text"]
    assert "\u00a0" not in text
    assert "“multipolar”" in text and "Putin’s" in text  # curly quotes stay curly
    assert not any(line != line.strip() for line in text.split("\n"))
    assert "\n\n\n" not in text


def test_seed_document_is_schema_valid(seed: dict[str, Any]) -> None:
    assert DocumentChecker().problems(seed) == []


def test_seed_through_the_runner() -> None:
    registry: Registry = load_registry()
    pipeline = parse_pipeline("name: t\nsteps:\n  - use: clean.text\n", "t.yaml", registry)
    document = new_document(text=SEED.read_text(encoding="utf-8"), uri=str(SEED))
    [done] = list(Runner(pipeline, registry).run([document]))
    assert done["errors"] == []
    assert done["meta"]["title"].startswith("Trump’s superpower flex")


def test_idempotent() -> None:
    raw = new_document(text=SEED.read_text(encoding="utf-8"))
    once, twice = copy.deepcopy(raw), copy.deepcopy(raw)
    step = clean_text_step({})
    step([once], RunContext())
    step([twice], RunContext())
    assert once == twice
    again = copy.deepcopy(once)
    step([again], RunContext())  # a cleaned document is not cleaned a second time
    assert again == once


# --------------------------------------------------------------------------- head


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Jan 6, 2026\u00a0-\u00a007:03", "2026-01-06T07:03:00"),
        ("6 January 2026", "2026-01-06"),
        ("Published: Tuesday, January 6, 2026 at 7:03 a.m. EST", "2026-01-06T07:03:00-05:00"),
        ("2026-01-06T07:03:00Z", "2026-01-06T07:03:00+00:00"),
        ("Updated 6 Jan 2026 07.03 GMT", "2026-01-06T07:03:00+00:00"),
        ("01/06/2026 07:03", "2026-01-06T07:03:00"),
        ("Monday 12 May 2025 10.15 BST", "2025-05-12T10:15:00+01:00"),
        ("He arrived on Jan 6, 2026.", None),
        ("Green with envy", None),
        ("March 3", None),
    ],
)
def test_datelines(line: str, iso: str | None) -> None:
    assert parse_dateline(line) == iso


def test_title_byline_and_dateline() -> None:
    document = clean(f"Council agrees budget\n\nBy Jane Doe and John Smith | 6 January 2026\n\n{BODY}")
    assert document["meta"]["title"] == "Council agrees budget"
    assert document["meta"]["authors"] == ["Jane Doe", "John Smith"]
    assert document["meta"]["published"] == "2026-01-06"
    assert document["text"] == BODY


def test_dateline_and_byline_on_one_line() -> None:
    document = clean(f"Council agrees budget\n\n5:45 AM PST 11/19/2019 by Patrick Shanley\n\n{BODY}")
    assert document["meta"]["published"] == "2019-11-19T05:45:00-08:00"
    assert document["meta"]["authors"] == ["Patrick Shanley"]
    assert document["text"] == BODY


@pytest.mark.parametrize(
    "first",
    [
        "Nobody expected what came next!",
        "Here is what we know so far:",
        "It rained. Then it stopped",
        "The committee met on Tuesday, officials said.",
        "The committee met on Tuesday. Members argued. Nobody agreed.",
        "HAYWARD, Calif. (AP) — The Latest on a stabbing on a commuter train (all times local)",
        " ".join(["word"] * 26) + ".",
    ],
)
def test_a_first_line_that_is_a_sentence_is_not_a_title(first: str) -> None:
    document = clean(f"{first}\n\n{BODY}")
    assert "title" not in document["meta"]
    assert document["text"].startswith(first.split(" — ")[-1])


@pytest.mark.parametrize(
    "first",
    [
        "Washington Post backs Hillary Clinton for president.",
        "Obama Says He Will Veto the Bill.",
        "Mary J. Blige sings to Hillary Clinton in preview clip.",
        "Pat Caddell: Voters Worried About Her Health; It’s ‘in Their Heads.’",
        "The real Trump showed up at debate. GOP must live with it.",
        "Ready for Trump vs. Clinton?",
    ],
)
def test_a_short_line_standing_alone_is_the_title_with_or_without_its_period(first: str) -> None:
    document = clean(f"{first}\n\n{BODY}")
    assert document["meta"]["title"] == first
    assert document["text"] == BODY


def test_a_sentence_on_the_first_line_of_unparagraphed_text_stays_text() -> None:
    lines = BODY.replace("\n\n", "\n")
    document = clean(f"Obama backs the bill.\n{lines}")
    assert "title" not in document["meta"]
    assert document["text"].startswith("Obama backs the bill.")


def test_a_headline_and_its_subhead_before_the_first_blank_line() -> None:
    document = clean(
        f"Candidates vie for support;\nBoth point out their own credentials at a forum.\n\n{BODY}"
    )
    assert document["meta"]["title"] == "Candidates vie for support"
    assert removed(document, "subhead") == ["Both point out their own credentials at a forum."]
    assert document["text"] == BODY


def test_a_callers_title_removes_the_same_headline_from_the_text() -> None:
    text = f"Obama Says He Will Veto the Bill!\n\nWASHINGTON -- {BODY}"
    document = new_document(text=text, meta={"title": "Obama says he will veto the bill!"})
    clean_text_step({})([document], RunContext())
    assert document["meta"]["title"] == "Obama says he will veto the bill!"
    assert document["text"] == BODY
    assert removed(document, "title") == ["Obama Says He Will Veto the Bill!"]


def test_a_callers_title_leaves_a_different_first_line_alone() -> None:
    document = new_document(text=BODY, meta={"title": "Budget talks"})
    clean_text_step({})([document], RunContext())
    assert document["text"] == BODY


def test_caller_title_wins() -> None:
    document = new_document(text=f"Council agrees budget\n\n{BODY}", meta={"title": "Given"})
    clean_text_step({})([document], RunContext())
    assert document["meta"]["title"] == "Given"


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("LONDON (Reuters) - ", "LONDON (Reuters) -"),
        ("(Reuters) — ", "(Reuters) —"),
        ("WASHINGTON, Jan 6 (AP) — ", "WASHINGTON, Jan 6 (AP) —"),
        ("BUFFALO, N.Y. — ", "BUFFALO, N.Y. —"),
        ("WASHINGTON -- ", "WASHINGTON --"),
        ("Washington (AFP) – ", "Washington (AFP) –"),
        ("KOBE – ", "KOBE –"),
        ("WEST PALM BEACH — ", "WEST PALM BEACH —"),
        ("NEW YORK (Reuters) - ", "NEW YORK (Reuters) -"),
        ("Washington (CNN) -- ", "Washington (CNN) --"),
        ("WASHINGTON ― ", "WASHINGTON ―"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "HEMPSTEAD, N.Y., Sept. 26 (UPI) —"),
        ("BOSTON —", "BOSTON —"),
        ("WASHINGTON —\n", "WASHINGTON —"),
    ],
)
def test_agency_datelines(first: str, dateline: str) -> None:
    document = clean(first + BODY)
    assert document["text"] == BODY
    assert removed(document, "dateline") == [dateline]


@pytest.mark.parametrize(
    "lead", ["The U.S. Supreme Court - ruled on Monday", "SIEGEL--Jerome Arthur, 98, died"]
)
def test_a_lead_that_is_not_a_dateline_keeps_its_words(lead: str) -> None:
    document = clean(f"Budget stands\n\n{lead} that the budget stands.\n\n{BODY}")
    assert document["text"].startswith(lead)
    assert removed(document, "dateline") == []


def test_a_dateline_after_the_headline_is_cut_whole_and_the_lead_keeps_its_first_word() -> None:
    document = clean(
        f"Democrats pledge a fight.\n\nWashington (CNN) -- Democrats pledged on Tuesday to fight.\n\n{BODY}"
    )
    assert document["meta"]["title"] == "Democrats pledge a fight."
    assert document["text"].startswith("Democrats pledged on Tuesday")


def test_a_dateline_under_a_headline_and_its_standfirst_is_cut() -> None:
    document = clean(
        "Leaders weigh plans for the bloc.\n\nAfter the vote, the bloc aims to rely less on others.\n\n"
        f"BRUSSELS - European leaders gathered Friday to discuss the budget.\n\n{BODY}"
    )
    assert document["meta"]["title"] == "Leaders weigh plans for the bloc."
    assert "European leaders gathered Friday" in document["text"]
    assert "BRUSSELS" not in document["text"]
    assert removed(document, "dateline") == ["BRUSSELS -"]


def test_a_capitalised_line_after_the_lead_is_no_dateline() -> None:
    lead = "The committee met on Tuesday to discuss the budget for the coming year. " * 3
    for text in (
        f"Budget stands\n\n{lead}\n\nWASHINGTON - the capital - voted again on Monday.\n\n{BODY}",
        f"Budget stands\n\n{BODY}\n\nWASHINGTON - the capital - voted again on Monday.",
    ):
        assert removed(clean(text), "dateline") == [], text


# --------------------------------------------------------------------------- headings


def test_headings_leave_the_text() -> None:
    paragraphs = BODY.split("\n\n")
    text = f"{paragraphs[0]}\n\nWhat comes next\n\n{paragraphs[1]}\n\n{paragraphs[2]}"
    document = clean(text)
    assert document["text"] == BODY
    assert document["meta"]["headings"] == [{"text": "What comes next", "before": 1}]


def test_short_sentences_are_not_headings() -> None:
    text = f"{BODY}\n\nHe declined to comment.\n\n{BODY}"
    assert "He declined to comment." in clean(text, {"rules": {"duplicates": False}})["text"]


def test_headings_rule_off_keeps_them() -> None:
    paragraphs = BODY.split("\n\n")
    text = f"{paragraphs[0]}\n\nWhat comes next\n\n{paragraphs[1]}"
    document = clean(text, {"rules": {"headings": False}})
    assert "What comes next" in document["text"]
    assert document["meta"]["headings"] == []


# --------------------------------------------------------------------------- captions and credits


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("Firefighters at the scene on Monday. | Jane Doe/AFP via Getty Images", ["caption", "credit"]),
        ("“We will win,” the mayor said | John Smith/Reuters", ["pull_quote", "credit"]),
        ("The mayor at a rally in May. Photo: Jane Doe/EPA-EFE", ["caption", "credit"]),
        ("A protester waves a flag. (Photo by John Smith/Getty Images)", ["caption", "credit"]),
        ("Photo: Jane Doe/Reuters", ["credit"]),
        ("Photograph: John Smith/AP", ["credit"]),
        ("Jane Doe/AFP via Getty Images", ["credit"]),
        ("Image credit: NASA", ["credit"]),
        ("(AP Photo/Evan Vucci)", ["credit"]),
    ],
)
def test_captions_and_credits(line: str, kinds: list[str]) -> None:
    document = clean(f"{BODY}\n\n{line}\n\nThe council will publish the full budget online later this month.")
    assert [r["kind"] for r in document["removed"]] == kinds
    assert line not in document["text"]


@pytest.mark.parametrize(
    "line",
    [
        "Reuters reported the deal on Monday, citing three sources close to the talks.",
        "The AFP news agency said the talks | which began in May | had stalled.",
        "She moved to Paris to work for Getty Images in 2019 and stayed there for years.",
    ],
)
def test_prose_mentioning_agencies_stays(line: str) -> None:
    assert line in clean(f"{BODY}\n\n{line}")["text"]


def test_extra_agency_and_credit_pattern() -> None:
    text = f"{BODY}\n\nA boat at dawn. | Jane Doe/Acme Pictures\n\nPic by the reader desk"
    assert "Acme" in clean(text)["text"]
    document = clean(text, {"agencies": ["Acme Pictures"], "patterns": {"credits": ["^pic by "]}})
    assert document["text"] == BODY
    assert removed(document, "credit") == ["Jane Doe/Acme Pictures", "Pic by the reader desk"]


def test_pull_quote_without_credit_goes_paragraph_stays() -> None:
    quote = "“We are not going to give up on this city,” the mayor said."
    paragraph = f"{quote} She spoke to reporters outside the town hall on Monday afternoon."
    document = clean(f"{BODY}\n\n{quote}\n\n{paragraph}")
    assert document["text"] == f"{BODY}\n\n{paragraph}"
    assert removed(document, "pull_quote") == [quote]


def test_repeated_paragraphs_stay() -> None:
    """An interview repeats its questions: a paragraph repeated whole is not a stray copy."""
    question = "Q: What inspired you to start cooking for other people, and when?"
    text = f"{BODY}\n\n{question}\n\nA: My grandmother, when I was six years old.\n\n{question}\n\n{BODY}"
    assert clean(text)["text"].count(question) == 2


# --------------------------------------------------------------------------- boilerplate


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Read more: Why the budget matters", "read_more"),
        ("READ MORE", "read_more"),
        ("Related articles", "read_more"),
        ("Click here to see the full list of winners", "read_more"),
        ("Sign up for our Morning Briefing newsletter", "sign_up"),
        ("Subscribe now", "sign_up"),
        ("Follow us on Twitter and Facebook", "follow_us"),
        ("Follow @citydesk on X", "follow_us"),
        ("Share this article", "share"),
        ("Share | Tweet | Email", "share"),
        ("Facebook Twitter WhatsApp Copy link", "share"),
        ("© 2026 Example Media Ltd. All rights reserved.", "copyright"),
        ("Copyright 2026 The Example Times", "copyright"),
        ("https://example.com/story/123", "bare_urls"),
        ("Advertisement", "ads"),
        ("Story continues below advertisement", "ads"),
        ("12 Comments", "comments"),
        ("(Reporting by Jane Doe; Editing by John Smith)", "reporting_credits"),
        ("Additional reporting by Jane Doe in Paris", "reporting_credits"),
        ("John Smith contributed reporting from Hong Kong.", "reporting_credits"),
        ("Source: News agencies", "reporting_credits"),
        ("You may also like...", "read_more"),
        ("[Related: Council cuts bus routes]", "read_more"),
        ("Most read in world news", "read_more"),
        ("Get the latest news in your inbox. Subscribe to our newsletters.", "sign_up"),
        ("Like this story? Share it with a friend!", "share"),
        ("Filed under: Politics | Transport", "tags"),
        ("Tags: budget, council", "tags"),
        ("Updated at 1:23 p.m.", "timestamps"),
        ("5 min read", "timestamps"),
        ("jane.doe@example.com", "bare_urls"),
        ("twitter.com/janedoe", "bare_urls"),
        ("Listen: https://example.com/podcast/1", "bare_urls"),
        ("[button link=”/submit”]Send us your story[/button]", "ads"),
    ],
)
def test_boilerplate_lines(line: str, rule: str) -> None:
    paragraphs = BODY.split("\n\n")
    document = clean(f"{paragraphs[0]}\n\n{line}\n\n{paragraphs[1]}\n\n{paragraphs[2]}")
    assert document["text"] == BODY
    assert [(r["rule"], r["text"]) for r in document["removed"]] == [(rule, line)]
    off = clean(f"{paragraphs[0]}\n\n{line}\n\n{paragraphs[1]}", {"rules": {rule: False}})
    assert all(r["rule"] != rule for r in off["removed"])


@pytest.mark.parametrize(
    "line",
    [
        "Read more books, the minister told pupils at the school on Friday morning.",
        "Sign up rates for the programme doubled last year, the council said.",
        "Follow-up talks are planned for March, a spokesperson said.",
        "Related research has shown the same effect in mice and in rats.",
        "Reporting by the BBC found widespread abuse.",
        "Published in 1998, the book sold well.",
        "Updated figures for 2025 show a fall in crime, the ministry said.",
        "Source code for the app was published on Monday, the company said.",
    ],
)
def test_prose_that_starts_like_boilerplate_stays(line: str) -> None:
    assert line in clean(f"{BODY}\n\n{line}\n\n{BODY}", {"rules": {"duplicates": False}})["text"]


@pytest.mark.parametrize(
    "line",
    [
        "News Moderator - Tomas Kauer https://www.tomaskauer.com/",
        "Editor: Jane Doe",
        "Reach the reporter at https://example.com/jdoe",
        "This article was originally published by Example News.",
        "Have a tip? Jane Doe may be reached at jdoe@example.com. Follow her on Twitter @janedoe.",
    ],
)
def test_footers(line: str) -> None:
    document = clean(f"{BODY}\n\n{line}")
    assert document["text"] == BODY
    assert removed(document, "footer") == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Jane Doe is a reporter at Example News who covers the city council and its budget. "
        "She can be reached at jdoe@example.com.",
        "For more on the programme, families can call the council's helpline on weekdays or write "
        "to help@council.example.",
        "Editor: the views in this piece are the author's own, and she has written about the "
        "council for twenty years.",
    ],
)
def test_a_footer_line_that_reads_as_body_text_stays(line: str) -> None:
    document = clean(f"{BODY}\n\n{line}")
    assert document["text"] == f"{BODY}\n\n{line}"
    assert removed(document, "footer") == []


def test_footer_rule_only_looks_at_the_end() -> None:
    line = "Editor: Jane Doe"
    document = clean(f"{line}\n\n{BODY}\n\n{BODY}\n\n{BODY}", {"rules": {"title": False}})
    assert removed(document, "footer") == []


def test_extra_boilerplate_pattern_and_bad_regex() -> None:
    document = clean(f"{BODY}\n\nLees ook: het laatste nieuws", {"patterns": {"boilerplate": ["^lees ook"]}})
    assert document["text"] == BODY
    with pytest.raises(ValueError, match=r"patterns\.boilerplate"):
        clean_text_step({"patterns": {"boilerplate": ["("]}})


# --------------------------------------------------------------------------- normalisation, errors


def test_unicode_normalisation_keeps_curly_quotes() -> None:
    document = clean("He said “yes”\u00a0and left.\u200b It wasnâ€™t over.\r\n\r\nShe said ‘no’.")
    assert document["text"] == "He said “yes” and left. It wasn’t over.\n\nShe said ‘no’."


def test_lines_without_blank_lines_are_paragraphs() -> None:
    assert clean(BODY.replace("\n\n", "\n"))["text"] == BODY


def test_language() -> None:
    german = (
        "Der Rat hat am Dienstag über den Haushalt für das kommende Jahr beraten, und die Mitglieder "
        "haben sich nach langen Stunden auf einen Kompromiss geeinigt, der auch für die Stadt gut ist."
    )
    assert clean(BODY)["meta"]["language"] == "en"
    assert clean(german)["meta"]["language"] == "de"
    assert "language" not in clean(BODY, {"detect_language": False})["meta"]


@pytest.mark.parametrize(
    ("text", "config", "code"),
    [
        ("", {}, "clean.empty"),
        ("  \n\u00a0\n ", {}, "clean.empty"),
        ("Share\n\nAdvertisement", {}, "clean.empty"),
        (BODY + BODY, {"max_chars": len(BODY)}, "clean.too_large"),
    ],
)
def test_per_document_errors(text: str, config: dict[str, Any], code: str) -> None:
    good = new_document(text=BODY)
    bad = new_document(text=text)
    clean_text_step(config)([bad, good], RunContext())
    assert [e["code"] for e in bad["errors"]] == [code]
    assert bad["errors"][0]["step"] == "clean.text"
    assert good["errors"] == [] and good["text"] == BODY


def test_html_documents_are_left_to_clean_html() -> None:
    document = new_document(html="<html><body><p>Hi</p></body></html>")
    before = copy.deepcopy(document)
    clean_text_step({})([document], RunContext())
    assert document == before


def test_config_schema_in_registry_and_loader_checks_it(registry: Registry) -> None:
    spec = registry.steps["clean.text"]
    assert spec.requires == ("text",) and set(spec.provides) == {"text", "meta", "removed"}
    rules = spec.config_schema["properties"]["rules"]["properties"]
    assert {"captions", "credits", "footer", "read_more", "sign_up", "follow_us", "share"} <= set(rules)
    assert all(rule.get("description") for rule in rules.values())
    pipeline = parse_pipeline(
        "name: t\nsteps:\n  - use: clean.text\n    with: {rules: {share: false}}\n", "t.yaml", registry
    )
    step = pipeline.steps[0].build()
    assert isinstance(step, CleanText)
    assert step.rules.on("share") is False and step.rules.on("captions") is True


def test_headline_list_after_related_goes() -> None:
    text = (
        f"{BODY}\n\nMore stories\n\nCouncil cuts bus routes\nMayor opens new bridge\nSchools close for snow"
    )
    document = clean(text)
    assert document["text"] == BODY
    assert [r["kind"] for r in document["removed"]] == ["boilerplate", "related", "related", "related"]


WIRE_STORY = """Central bank holds rates as inflation cools

By Jane Doe and John Smith

March 3, 2026 10:15 AM GMT

3 min read

LONDON (Reuters) - The Bank of England held interest rates on Thursday, saying inflation was cooling faster than it had expected at the start of the year.

Advertisement

Governor Andrew Bailey told reporters the bank would “watch the data closely” before any cut.

Traders at the London Stock Exchange on March 2. | Toby Melville/Reuters

Markets had priced in a hold, and sterling barely moved after the announcement.

Read more: What a rate cut would mean for mortgages

Share | Tweet | Email

(Reporting by Jane Doe and John Smith; Editing by Mark Potter)

© 2026 Example Wire. All rights reserved."""


def test_a_wire_story_scraped_from_a_page() -> None:
    document = clean(WIRE_STORY)
    assert document["meta"]["title"] == "Central bank holds rates as inflation cools"
    assert document["meta"]["authors"] == ["Jane Doe", "John Smith"]
    assert document["meta"]["published"] == "2026-03-03T10:15:00+00:00"
    assert document["text"].split("\n\n") == [
        "The Bank of England held interest rates on Thursday, saying inflation was cooling faster than it "
        "had expected at the start of the year.",
        "Governor Andrew Bailey told reporters the bank would “watch the data closely” before any cut.",
        "Markets had priced in a hold, and sterling barely moved after the announcement.",
    ]
    rules = [r["rule"] for r in document["removed"]]
    assert rules == [
        "title",
        "byline",
        "dateline",
        "timestamps",
        "ads",
        "captions",
        "captions",
        "read_more",
        "share",
        "reporting_credits",
        "copyright",
        "agency_dateline",
    ]
