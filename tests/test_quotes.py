# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""quotes.extract: the seed article's eleven quotations, and each construction on short texts.

Runs the real spaCy model through entities.spacy + quotes.extract, as a pipeline does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from presspipe import RunContext
from presspipe.document import new_document
from presspipe.plugins.quotes.marks import find_segments
from presspipe.registry import load_registry
from presspipe.testing import build_step, run_step

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_88ecee838c30f0fd.txt"


@pytest.fixture(scope="module")
def steps() -> list[Any]:
    return [build_step(name) for name in ("entities.spacy", "quotes.extract")]


@pytest.fixture(scope="module")
def run(steps: list[Any]) -> Any:
    def run(text: str) -> dict[str, Any]:
        documents = [new_document(text=text)]
        context = RunContext()
        for step in steps:
            documents = step(documents, context)
        return documents[0]

    return run


def speaker_name(document: dict[str, Any], quote: dict[str, Any]) -> str | None:
    """The canonical name of the quote's speaker entity, else the speaker text."""
    speaker = quote["speaker"]
    if speaker is None:
        return None
    for entity in document["entities"]:
        if entity["id"] == speaker["entity"]:
            return str(entity["name"])
    return str(speaker["text"])


def check_offsets(document: dict[str, Any]) -> None:
    text = document["text"]
    for quote in document["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
        for key in ("speaker", "cue"):
            span = quote[key]
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]


# ---------------------------------------------------------------------------
# The seed article, cleaned the way clean.text will clean it
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(run: Any) -> dict[str, Any]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[2:-1] if "Getty Images" not in line]  # title, dateline, captions, footer
    return dict(run("\n".join(body).strip() + "\n"))


def quotations(document: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(quoted passage, its attribution) for every passage in quotation marks."""
    return [(fragment, q) for q in document["quotes"] for fragment in q["quoted"]]


def test_seed_eleven_quotations_with_their_speakers(seed: dict[str, Any]) -> None:
    check_offsets(seed)
    got = [(fragment["text"][:30], speaker_name(seed, q)) for fragment, q in quotations(seed)]
    expected = [
        ("“Putin must be unbearably jeal", "Abbas Gallyamov"),
        ("“What Putin promised to do in ", "Abbas Gallyamov"),
        ("“We’ve suffered another blow t", "Igor Girkin"),
        ("“an unacceptable violation of ", "Russia’s foreign ministry"),
        ("“wild imperialism of the 19th ", "Alexei Puskov"),
        ("“Washington’s actions have eff", "Two Majors"),
        ("“All of Russia is asking itsel", "Aleksandr Dugin"),
        ("“Do like Trump, do it better t", "Aleksandr Dugin"),
        ("“be jealous.”", "Margarita Simonyan"),
        ("“Putin himself created a world", "Abbas Gallyamov"),
        ("“And now the Americans have sh", "Abbas Gallyamov"),
    ]
    assert got == expected


def test_seed_cues_and_kinds(seed: dict[str, Any]) -> None:
    pairs = quotations(seed)
    assert [q["cue"]["text"] for _, q in pairs] == [
        "told",
        "told",
        "wrote",
        "described",
        "said",
        "posted",
        "wrote",
        "continued",  # Russia, he continued, should ... “Do like Trump ...”
        "saying",
        "added",
        "added",
    ]
    assert pairs[0][1]["kind"] == "direct"
    assert pairs[3][1]["kind"] == "partial"  # described it as “an unacceptable violation ...”
    # a named organisation that is not an entity keeps its text and a null entity
    assert pairs[3][1]["speaker"]["entity"] is None
    # mixed statements: one attribution holding the reported clause and its quoted words
    puskov = pairs[4][1]
    assert puskov["kind"] == "partial"
    assert (
        puskov["text"] == "Trump’s actions heralded a return to the “wild imperialism of the 19th century.”"
    )
    assert pairs[8][1]["text"] == "there was reason to “be jealous.”"


def test_seed_reported_speech_with_speakers_named_in_full(seed: dict[str, Any]) -> None:
    got = [
        (q["text"][:24], q["cue"]["text"], speaker_name(seed, q))
        for q in seed["quotes"]
        if q["kind"] == "indirect"
    ]
    assert got == [
        ("to rally to its side", "called", "Moscow"),
        ("it wasn’t an internation", "claim", "Moscow"),
        ("the American attack", "denounced", "Russian officials"),
        ("Russia should consider p", "said", "Alexei Zhuravlev"),
        ("Trump’s actions in Carac", "argue", "The more optimistic quarters"),
        ("despite evidence to the ", "suggest", "Others"),
        ("Russia, he continued, sh", "continued", "Aleksandr Dugin"),
        ("unlike Russia, the U.S. ", "noted", "Various pro-Kremlin commentators"),
        ("To many in Russia, Trump", "said", "Abbas Gallyamov"),
        ("the world is ruled by st", "proclaimed", "Russian officials and state media"),
    ]


def test_seed_nothing_but_speech_is_attributed(seed: dict[str, Any]) -> None:
    assert len(seed["quotes"]) == 21  # 11 with quoted words, 10 reported
    assert all(q["speaker"] is not None and q["cue"] is not None for q in seed["quotes"])
    texts = " ".join(q["text"] for q in seed["quotes"])
    for not_speech in ("toothless", "envy", "skillful", "upstaged", "project itself", "could achieve"):
        assert not_speech not in texts
    quoted = " ".join(fragment["text"] for fragment, _ in quotations(seed))
    assert "multipolar" not in quoted  # scare quotes and names in marks are no quotations
    assert "‘Two Majors" not in quoted
    assert "cancelled" not in quoted


def test_seed_people_are_persons_under_their_full_names(seed: dict[str, Any]) -> None:
    labels = {e["name"]: e["label"] for e in seed["entities"]}
    for person in ("Abbas Gallyamov", "Igor Girkin", "Alexei Puskov", "Alexei Zhuravlev", "Aleksandr Dugin"):
        assert labels[person] == "PERSON"
    assert labels["Margarita Simonyan"] == "PERSON"
    assert labels.get("pro-Kremlin") != "PERSON"
    assert "Gallyamov" not in labels  # the surname joined the full name


# ---------------------------------------------------------------------------
# Constructions, one short text each
# ---------------------------------------------------------------------------


def only(document: dict[str, Any]) -> dict[str, Any]:
    check_offsets(document)
    assert len(document["quotes"]) == 1, document["quotes"]
    return dict(document["quotes"][0])


@pytest.mark.parametrize(
    "text",
    [
        "“We will win this election,” Senator Jane Smith said on Tuesday.\n",
        "“We will win this election,” said Senator Jane Smith on Tuesday.\n",
        "Senator Jane Smith said on Tuesday, “We will win this election.”\n",
        '"We will win this election," Senator Jane Smith said on Tuesday.\n',
        "“We will win this election,” according to Senator Jane Smith.\n",
    ],
    ids=["said-after", "inverted", "said-before", "straight-marks", "according-to"],
)
def test_direct_quote_speaker_from_syntax(run: Any, text: str) -> None:
    quote = only(run(text))
    assert quote["text"].startswith(("“We will", '"We will'))
    assert quote["kind"] == "direct"
    assert quote["speaker"]["text"].endswith("Jane Smith")
    assert quote["speaker"]["entity"] is not None
    assert quote["cue"]["text"] in ("said", "according to")


def test_colon_introduced_multi_sentence_quote(run: Any) -> None:
    document = run(
        "Writing on his blog, the commentator Igor Girkin wrote: “We have suffered another blow. "
        "Another ally has been left without help.”\n"
    )
    quote = only(document)
    assert quote["text"].endswith("without help.”")
    assert speaker_name(document, quote) == "Igor Girkin"
    assert quote["cue"]["text"] == "wrote"


def test_partial_quote_inside_reported_speech_takes_the_highest_reporting_verb(run: Any) -> None:
    document = run("Mary Ditto said she expects the talks to fail, calling the offer “a cynical stunt.”\n")
    quote = only(document)
    assert quote["kind"] == "partial"
    assert speaker_name(document, quote) == "Mary Ditto"


def test_organisation_speaks_and_keeps_a_null_entity_when_not_named(run: Any) -> None:
    quote = only(
        run(
            "Russia’s foreign ministry described the raid as “an unacceptable violation of the "
            "sovereignty of an independent state.”\n"
        )
    )
    assert quote["speaker"]["text"] == "Russia’s foreign ministry"
    assert quote["speaker"]["entity"] is None


def test_second_quote_in_paragraph_keeps_the_speaker(run: Any) -> None:
    document = run(
        "“The bridge will be finished this year,” Mayor Ann Lee said. “The money is there.”\n\n"
        "“Nobody will believe the delay,” the governor’s office replied.\n"
    )
    check_offsets(document)
    quotes = document["quotes"]
    assert [speaker_name(document, q) for q in quotes[:2]] == ["Ann Lee", "Ann Lee"]
    assert quotes[1]["speaker"] == quotes[0]["speaker"]
    assert quotes[2]["speaker"]["text"] == "the governor’s office"


def test_quote_over_paragraphs_with_unclosed_mark(run: Any) -> None:
    document = run(
        "“The bridge will be finished this year,” Mayor Ann Lee said. “The money is there. "
        "The workers are ready.\n\n"
        "“Nobody should doubt it. We will open it in June.”\n\n"
        "The council did not comment.\n"
    )
    check_offsets(document)
    quotes = document["quotes"]
    assert len(quotes) == 3
    assert quotes[1]["text"].endswith("ready.")  # runs to the end of its paragraph
    assert quotes[2]["text"] == "“Nobody should doubt it. We will open it in June.”"
    assert [speaker_name(document, q) for q in quotes] == ["Ann Lee"] * 3


def test_pronoun_continues_the_speaker(run: Any) -> None:
    document = run(
        "Senator Tom Hardy arrived in the hall on Monday morning.\n\n"
        "“We are ready for this fight and we will not give up,” he continued.\n"
    )
    quote = only(document)
    assert quote["speaker"]["text"] == "he"
    assert speaker_name(document, quote) == "Tom Hardy"


def test_description_resolves_to_the_person(run: Any) -> None:
    document = run(
        "Political analyst Abbas Gallyamov has followed the Kremlin for twenty years.\n\n"
        "“Putin must be unbearably jealous of what happened,” the analyst said.\n"
    )
    quote = only(document)
    assert quote["speaker"]["text"] == "the analyst"
    assert speaker_name(document, quote) == "Abbas Gallyamov"


def test_scare_quotes_and_names_in_marks_are_not_quotations(run: Any) -> None:
    document = run(
        "Putin’s self-proclaimed “multipolar” world is toothless, and this “multipolar” order is weak.\n\n"
        "The channel ‘Two Majors,’ which has many followers, posted on Telegram that "
        "“Washington has given Moscow free rein to resolve its own issues.”\n"
    )
    quote = only(document)
    assert quote["text"].startswith("“Washington")
    assert quote["speaker"]["text"] == "Two Majors"


def test_single_marks_quote_in_a_text_without_double_marks(run: Any) -> None:
    document = run("'We will win this election,' Senator Jane Smith said. Smith's aides agreed.\n")
    quote = only(document)
    assert quote["text"] == "'We will win this election,'"
    assert quote["speaker"]["text"].endswith("Jane Smith")


def test_curly_single_marks_around_apostrophes(run: Any) -> None:
    document = run(
        "The minister’s aides didn’t comment. ‘It’s over,’ the minister told reporters on Monday, "
        "‘and nobody will be surprised.’\n"
    )
    check_offsets(document)
    quotes = document["quotes"]
    assert [q["text"] for q in quotes] == ["‘It’s over,’", "‘and nobody will be surprised.’"]
    assert [q["speaker"]["text"] for q in quotes] == ["the minister", "the minister"]
    assert quotes[0]["cue"]["text"] == "told"


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Putin’s allies didn’t help. The voters’ anger in ’16 was real. It’s over, the ‘90s too.\n"
    assert find_segments(text) == []
    assert find_segments(text, "always") == []


def test_step_is_idempotent_and_registered(steps: list[Any]) -> None:
    registry = load_registry()
    spec = registry.steps["quotes.extract"]
    assert spec.requires == ("text", "entities")
    assert spec.provides == ("quotes",)
    text = "“We will win this election,” Senator Jane Smith said.\n"
    documents = [new_document(text=text)]
    context = RunContext()
    for step in steps:
        documents = step(documents, context)
    first = [dict(q) for q in documents[0]["quotes"]]
    documents = steps[1](documents, context)
    assert documents[0]["quotes"] == first
    assert context.documents_parsed == 1  # one shared parse for both steps


# ---------------------------------------------------------------------------
# Reported speech, one short text each
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        (
            "Senator Jane Smith said that the budget would pass next week.\n",
            "the budget would pass next week",
            "said",
        ),
        (
            "Senator Jane Smith said the budget would pass next week.\n",
            "the budget would pass next week",
            "said",
        ),
        (
            "The budget will pass next week, Senator Jane Smith said on Tuesday.\n",
            "The budget will pass next week",
            "said",
        ),
        (
            "The budget will pass next week, said Senator Jane Smith.\n",
            "The budget will pass next week",
            "said",
        ),
        (
            "Senator Jane Smith told reporters that the budget would pass next week.\n",
            "the budget would pass next week",
            "told",
        ),
        (
            "According to Senator Jane Smith, the budget will pass next week.\n",
            "the budget will pass next week",
            "According to",
        ),
        (
            "Senator Jane Smith warned that the budget would fail without new taxes.\n",
            "the budget would fail without new taxes",
            "warned",
        ),
        (
            "The budget, Senator Jane Smith continued, will pass next week.\n",
            "The budget, Senator Jane Smith continued, will pass next week",
            "continued",
        ),
    ],
    ids=["said-that", "said", "said-after", "inverted", "told", "according-to", "speech-verb", "interrupted"],
)
def test_reported_speech_content_cue_and_speaker(run: Any, text: str, content: str, cue: str) -> None:
    document = run(text)
    quote = only(document)
    assert quote["kind"] == "indirect"
    assert quote["text"] == content  # no cue, no speaker, no leading "that"
    assert quote["cue"]["text"] == cue
    assert quote["quoted"] == []
    assert speaker_name(document, quote) == "Jane Smith"


def test_two_statements_in_one_sentence_keep_their_own_speakers(run: Any) -> None:
    document = run(
        "More than six in 10 said they were not looking forward to the next few months of the campaign; "
        "46 percent said they were unenthusiastic about the 2016 presidential election.\n"
    )
    got = [(q["speaker"]["text"], q["text"]) for q in document["quotes"]]
    assert got == [
        ("More than six in 10", "they were not looking forward to the next few months of the campaign"),
        ("46 percent", "they were unenthusiastic about the 2016 presidential election"),
    ]


def test_in_a_poll_is_the_source_of_its_clause(run: Any) -> None:
    document = run(
        "In a poll conducted by the New York Times, just 28 percent of voters said they had a positive view of her.\n"
    )
    got = [(q["cue"]["text"], q["speaker"]["text"], q["text"]) for q in document["quotes"]]
    assert got == [
        ("In", "a poll", "just 28 percent of voters said they had a positive view of her"),
        ("said", "just 28 percent", "they had a positive view of her"),
    ]


def test_noun_cues(run: Any) -> None:
    document = run("In a statement, the ministry said the raid violated international law.\n")
    quote = only(document)
    assert (quote["text"], quote["speaker"]["text"]) == (
        "the raid violated international law",
        "the ministry",
    )
    document = run("The ministry rejected Senator Jane Smith's claim that the raid was legal.\n")
    claim = [q for q in document["quotes"] if q["cue"]["text"] == "claim"]
    assert [q["text"] for q in claim] == ["the raid was legal"]
    assert speaker_name(document, claim[0]) == "Jane Smith"


def test_adjective_cue(run: Any) -> None:
    document = run("Senator Jane Smith was critical of the new tax plan.\n")
    quote = only(document)
    assert (quote["kind"], quote["text"], quote["cue"]["text"]) == (
        "indirect",
        "the new tax plan",
        "critical",
    )
    assert speaker_name(document, quote) == "Jane Smith"


def test_participle_speaker_is_the_noun_it_modifies(run: Any, steps: list[Any]) -> None:
    text = "The campaign released a memo describing Senator Jane Smith as a risk.\n"
    documents = steps[0]([new_document(text=text)], context := RunContext())
    trace: list[Any] = []
    steps[1].extractor.extract(context.parse(documents)[0], documents[0]["entities"], trace)
    candidates = {
        (text[t.record["start"] : t.record["end"]], text[slice(*t.record["speaker"])]) for t in trace
    }
    assert ("Senator Jane Smith as a risk", "a memo") in candidates  # a candidate; the model judges it
    quote = only(run("Outside groups supporting Senator Jane Smith have spent heavily in the state.\n"))
    assert (quote["text"], quote["speaker"]["text"]) == ("Senator Jane Smith", "Outside groups")


def test_nested_attribution_keeps_inner_quote_and_outer_clause(run: Any) -> None:
    document = run(
        "According to the ministry, Senator Jane Smith said the plan was “a disaster for every family in the state.”\n"
    )
    outer, inner = document["quotes"]
    assert (outer["kind"], outer["cue"]["text"], outer["speaker"]["text"]) == (
        "indirect",
        "According to",
        "the ministry",
    )
    assert outer["text"].startswith("Senator Jane Smith said the plan was")
    assert inner["text"] == "“a disaster for every family in the state.”"
    assert speaker_name(document, inner) == "Jane Smith"
    # the phrase at the end: it reports the whole sentence, and no clause runs over it
    document = run(
        "Senator Jane Smith said the plan was “a disaster for every family in the state,” according to the ministry.\n"
    )
    outer, inner = document["quotes"]
    assert (outer["speaker"]["text"], outer["text"]) == (
        "the ministry",
        "Senator Jane Smith said the plan was “a disaster for every family in the state,”",
    )
    assert (inner["text"], speaker_name(document, inner)) == (
        "“a disaster for every family in the state,”",
        "Jane Smith",
    )
    # a pronoun inside the clause is the outer speaker again: one mixed statement
    document = run("Senator Jane Smith said he called it a “sex tape for the whole family to see.”\n")
    quote = only(document)
    assert (quote["kind"], speaker_name(document, quote)) == ("partial", "Jane Smith")


def test_mixed_statement_is_one_attribution(run: Any) -> None:
    document = run("Senator Jane Smith said the budget was “a disaster for every family in the state.”\n")
    quote = only(document)
    assert quote["kind"] == "partial"
    assert quote["text"] == "the budget was “a disaster for every family in the state.”"
    assert [f["text"] for f in quote["quoted"]] == ["“a disaster for every family in the state.”"]
    assert speaker_name(document, quote) == "Jane Smith"


def test_reported_pronoun_and_group_speakers(run: Any) -> None:
    document = run(
        "Senator Jane Smith arrived in the hall on Monday.\n\nShe said the budget would pass next week.\n"
    )
    quote = only(document)
    assert (quote["speaker"]["text"], speaker_name(document, quote)) == ("She", "Jane Smith")
    quote = only(run("Russian officials said the talks had failed.\n"))
    assert (quote["speaker"]["text"], quote["speaker"]["entity"]) == ("Russian officials", None)
    document = run("A White House spokesman said the president would sign the bill.\n")
    quote = only(document)
    assert quote["speaker"]["text"] == "A White House spokesman"  # a role: kept, its entity an ORG
    assert [e["label"] for e in document["entities"] if e["id"] == quote["speaker"]["entity"]] == ["ORG"]


@pytest.mark.parametrize(
    "text",
    [
        "Jane Smith chased after the bus on Monday.\n",  # an action
        "Prices appear to be rising across the country.\n",  # a description
        "Recent events have shown that the plan failed.\n",  # events are not sources
        "The talks, which began in May, failed.\n",
        "She was happy when the vote ended.\n",  # a feeling, not its content
        "The report was released on Monday by the ministry.\n",
        "The Russians are accused of the same thing.\n",  # a passive without its agent
        "Senator Jane Smith spoke for an hour.\n",  # a measure is not content
        "The force resisting American hegemony is weak.\n",  # a participle PolNeAR rarely marks
        "A book written by Tom Smith sold well.\n",
        "In fact, the plan failed in the state.\n",  # "in" with a noun that is no source  # a passive participle: its noun says nothing
    ],
)
def test_not_attributions(run: Any, text: str) -> None:
    assert run(text)["quotes"] == []


def test_kinds_and_scope_options(run: Any) -> None:
    text = (
        "Senator Jane Smith said the budget would pass next week. “We will win,” she added. "
        "Many voters believe that the economy is weak.\n"
    )

    def with_config(**options: Any) -> list[dict[str, Any]]:
        context = RunContext()
        documents = run_step("entities.spacy", [new_document(text=text)], context=context)
        return list(run_step("quotes.extract", documents, options, context=context)[0]["quotes"])

    assert [q["kind"] for q in with_config()] == ["indirect", "direct", "indirect"]
    assert [q["kind"] for q in with_config(kinds=["direct"])] == ["direct"]
    assert [q["kind"] for q in with_config(kinds=["indirect"])] == ["indirect", "indirect"]
    assert [q["cue"]["text"] for q in with_config(scope="speech")] == [
        "said",
        "added",
    ]  # "plans" is no speech


def test_every_attribution_has_a_confidence_and_min_confidence_filters(seed: dict[str, Any]) -> None:
    confidences = [q["confidence"] for q in seed["quotes"]]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert len(set(confidences)) > 3  # scored, not a constant
    documents = [{**new_document(text=seed["text"]), "entities": seed["entities"]}]
    kept = run_step("quotes.extract", documents, {"min_confidence": 0.9})[0]["quotes"]
    assert 0 < len(kept) < len(seed["quotes"])
    assert all(q["confidence"] >= 0.9 for q in kept)


def test_pronoun_speaker_agrees_in_gender(run: Any) -> None:
    document = run(
        "Hillary Clinton spoke after Donald Trump left the stage.\n\n"
        "“The plan would be trickle-down economics all over again,” she said.\n"
    )
    [quote] = document["quotes"]
    assert quote["speaker"]["text"] == "she"
    assert speaker_name(document, quote) == "Hillary Clinton"


DOUBLED = (
    "The senator spoke in Columbus on Monday.\n\n"
    "''We will win this election,'' Senator Jane Smith said. ''It is time for a change,'' she added.\n"
)


def test_doubled_straight_marks_are_covered_whole(run: Any) -> None:
    """PolNeAR writes double quotes as ``''...''``: a quotation spans both marks at each end
    (a stray ``'`` was left after each highlighted quote), and is direct as its “...” twin is."""
    assert [(s.start, s.end, s.mark) for s in find_segments("He said ''yes, we can,'' twice.\n")] == [
        (8, 24, 2)
    ]
    document = run(DOUBLED)
    check_offsets(document)
    quotes = [q for q in document["quotes"] if q["quoted"]]
    assert [q["text"] for q in quotes] == ["''We will win this election,''", "''It is time for a change,''"]
    assert [q["kind"] for q in quotes] == ["direct", "direct"]
    assert [speaker_name(document, q) for q in quotes] == ["Jane Smith", "Jane Smith"]


def test_doubled_marks_highlighted_whole_on_the_page(tmp_path: Path) -> None:
    """The document page (``highlight``) of a ``presspipe run`` output: each quote's marked text
    is the quotation with both marks at each end, and no mark is left just after it."""
    import json
    import subprocess
    import sys
    from html.parser import HTMLParser

    from presspipe.api.pages import highlight

    (tmp_path / "doubled.txt").write_text(DOUBLED, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-m",
        "presspipe",
        "run",
        "news",
        str(tmp_path / "doubled.txt"),
        "--out",
        str(out),
    ]
    subprocess.run(command, check=True, capture_output=True)
    document = json.loads(out.read_text(encoding="utf-8"))

    class Quotes(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str | None] = []
            self.text: dict[str, str] = {}
            self.after: dict[str, str] = {}  # the characters right after each quote
            self.last: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            classes = (values.get("class") or "").split()
            # a quote's marked text, or a speaker badge ("who"): neither is text after a quote
            self.stack.append(
                values.get("data-quote") if "quote" in classes else "who" if "who" in classes else None
            )

        def handle_endtag(self, tag: str) -> None:
            self.stack.pop()

        def handle_data(self, data: str) -> None:
            if "who" in self.stack:
                return
            inside = next((q for q in reversed(self.stack) if q), None)
            if inside is not None:
                self.text[inside] = self.text.get(inside, "") + data
            elif self.last is not None and self.last not in self.after:
                self.after[self.last] = data
            self.last = inside or self.last

    page = Quotes()
    page.feed(str(highlight(document)))
    marked = [page.text[q["id"]] for q in document["quotes"] if q["quoted"]]
    assert marked == ["''We will win this election,''", "''It is time for a change,''"]
    assert len(page.after) == 2 and not any(text.startswith("'") for text in page.after.values())


def test_pronoun_speaker_is_the_subject_before_the_nearest_name(run: Any) -> None:
    # the nearest earlier "he" candidate is Peter Brown; a reader takes the subject, John Smith
    document = run(
        "Senator John Smith met Prime Minister Peter Brown in London on Monday.\n\n"
        "John Smith flew home after the talks with Peter Brown. "
        "He said the two countries would sign a trade deal next year.\n"
    )
    said = [q for q in document["quotes"] if q["speaker"] and q["speaker"]["text"] == "He"]
    assert said, document["quotes"]
    assert speaker_name(document, said[0]) == "John Smith"


def test_pronoun_speaker_skips_a_quotation_and_never_takes_a_name_inside_it(run: Any) -> None:
    document = run(
        "Chris Jones watched the debate with Mark Green.\n\n"
        "“I thought he was very effective at securing Peter Brown’s flank. "
        "And I think that may matter in the next days,” he said.\n"
    )
    quotes = [q for q in document["quotes"] if q["speaker"] and q["speaker"]["text"] == "he"]
    assert quotes, document["quotes"]
    assert speaker_name(document, quotes[-1]) == "Chris Jones"
