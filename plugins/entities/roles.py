"""A person's role, read from the descriptors the text gives its mentions.

Descriptors of a PERSON mention (from the parse):

- **before the name**: the run of nouns, adjectives, proper nouns, "and", "of"/"for" between
  nouns and hyphenated words right before it, back to a determiner, punctuation or a verb ("political analyst and former
  Kremlin speechwriter Abbas Gallyamov", "Sen. Warren", "senator Alexei Puskov");
- **an appositive after it**: "Aleksandr Dugin, a prominent ultranationalist",
  "Alexei Zhuravlev, deputy chairman of the Duma's defence committee", "Quina Jones, 25";
- **the noun it is in apposition to**: "the White House press secretary, Josh Earnest".

A descriptor counts only if it holds a word of ``ROLE_CLASSES`` (or is an age alone). Its
class is that of its role word nearest the name (for an appositive: its head first), passing
over words after "former" or "ex-" while a current one is there:

- **politician**: elected, standing for or holding political office (senator, governor,
  mayor, candidate, president, minister, lawmaker, leader, strongman...); a chairman, deputy,
  member or head whose descriptor names a legislature or party (Duma, parliament, Senate,
  Congress, committee, party...);
- **official**: appointed office and public service (official, secretary, director,
  ambassador, general, officer, aide, adviser, judge...), and a chairman or deputy elsewhere;
- **spokesperson**: spokesman, spokeswoman, spokesperson, press secretary;
- **expert**: analyst, expert, professor, economist, researcher, strategist, pollster, lawyer...;
- **journalist**: journalist, reporter, editor, columnist, correspondent, anchor, host, blogger...;
- **public**: a member of the public (resident, voter, protester, student, widow, veteran,
  witness, parent...) or a person described by an age alone ("Quina Jones, 25");
- **other**: any other descriptor holding a role word of its own ("actor", "ultranationalist").

A person's role is the class most of its descriptors give (ties: the first met) with the text
of the first descriptor of that class; a person without a descriptor has none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from presspipe.plugins.entities.names import fold, word_set

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ROLES = ("politician", "official", "spokesperson", "expert", "journalist", "public", "other")

ROLE_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        word_set(
            """senator sen congressman congresswoman congressmember rep representative lawmaker legislator
            politician governor gov mayor candidate nominee president vice-president premier chancellor
            minister mp parliamentarian councilman councilwoman councillor councilor alderman assemblyman
            assemblywoman delegate speaker leader strongman dictator autocrat ruler king queen"""
        ),
        "politician",
    ),
    **dict.fromkeys(
        word_set(
            """official secretary director commissioner ambassador diplomat envoy administrator chief general
            gen officer sheriff prosecutor judge justice aide adviser advisor staffer agent inspector regulator
            speechwriter attorney-general spy colonel commander admiral captain lieutenant sergeant"""
        ),
        "official",
    ),
    **dict.fromkeys(word_set("spokesman spokeswoman spokesperson spokespeople"), "spokesperson"),
    **dict.fromkeys(
        word_set(
            """analyst expert professor prof economist researcher scholar scientist historian strategist
            pollster fellow consultant lawyer attorney physician psychologist sociologist"""
        ),
        "expert",
    ),
    **dict.fromkeys(
        word_set(
            """journalist reporter editor columnist correspondent anchor host blogger writer commentator
            broadcaster presenter"""
        ),
        "journalist",
    ),
    **dict.fromkeys(
        word_set(
            """resident voter supporter protester protestor demonstrator student mother father parent widow
            widower veteran worker neighbor neighbour witness citizen retiree shopper passenger survivor
            victim"""
        ),
        "public",
    ),
    **dict.fromkeys(
        word_set(
            """actor actress singer musician artist rapper comedian athlete player coach founder businessman
            businesswoman executive ceo billionaire entrepreneur activist organizer nationalist
            ultranationalist ideologue philosopher cleric priest pastor rabbi imam bishop pope soldier"""
        ),
        "other",
    ),
}
"""Role words (folded; plurals are folded to them) and their class."""

SEATED = word_set("chairman chairwoman chair deputy member head")
"""Words whose class depends on where the seat is: a legislature or party makes a politician."""
LEGISLATURES = word_set(
    "duma parliament senate congress house assembly legislature caucus committee party parliamentary"
)
FORMER = word_set("former ex ex- onetime one-time then then-")
HONORIFICS = word_set("mr mrs ms miss sir dame lady lord madam")
MAX_WORDS = 10


def role_of(descriptors: Iterable[tuple[str, str]]) -> dict[str, str] | None:
    """A person's ``{"class", "text"}`` from its (class, text) descriptors, or None."""
    found = list(descriptors)
    if not found:
        return None
    counts = Counter(kind for kind, _ in found)
    best = max(
        counts, key=lambda kind: (counts[kind], -next(i for i, (k, _) in enumerate(found) if k == kind))
    )
    return {"class": best, "text": next(text for kind, text in found if kind == best)}


def mention_descriptors(doc: Doc, start: int, end: int) -> list[tuple[str, str]]:
    """The (class, text) of each descriptor of the mention at characters ``start``-``end``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return []
    found = []
    before = _before(doc, span)
    if before:
        found.append(before)
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end:
            found.extend(_classified(list(doc[child.left_edge.i : child.right_edge.i + 1]), child))
    if root.dep_ == "appos" and root.head.i < span.start and root.head.pos_ in ("NOUN", "PROPN"):
        head = root.head
        found.extend(_classified(list(doc[head.left_edge.i : head.i + 1]), head))
    return found


def _before(doc: Doc, span: Span) -> tuple[str, str] | None:
    """The descriptor right before a name ("political analyst ... Abbas Gallyamov")."""
    tokens: list[Token] = []
    i = span.start - 1
    while i >= 0 and len(tokens) < MAX_WORDS:
        token = doc[i]
        hyphenated = token.text == "-" or (token.pos_ == "VERB" and _in_hyphen_run(doc, i))
        joiner = token.lower_ in ("of", "for") and tokens and i > 0 and doc[i - 1].pos_ in ("NOUN", "PROPN")
        if token.pos_ in ("NOUN", "ADJ", "PROPN") or token.lower_ == "and" or hyphenated or joiner:
            if token.pos_ == "PROPN" and token.ent_type_ == "PERSON":
                break
            tokens.insert(0, token)
            i -= 1
            continue
        break
    while tokens and (tokens[0].lower_ == "and" or tokens[0].text == "-"):
        tokens = tokens[1:]
    if not tokens or fold(tokens[-1].text) in HONORIFICS:
        return None
    found = _classified(tokens, tokens[-1], nearest_last=True)
    return found[0] if found else None


def _in_hyphen_run(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is glued by hyphens to its neighbours ("spy-turned-soldier")."""
    left = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
    right = i + 1 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_
    return bool(left or right)


def _classified(tokens: list[Token], head: Token, *, nearest_last: bool = False) -> list[tuple[str, str]]:
    """The descriptor ``tokens`` as (class, text): its role word nearest the name (the head first),
    current roles before former ones; an age alone is a member of the public."""
    cut = next((n for n, t in enumerate(tokens) if n and _ends_descriptor(t)), None)
    tokens = tokens[:cut] if cut is not None else tokens
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    words = [t for t in tokens if not t.is_punct or t.text == "-"]
    if not words:
        return []
    text = doc_text(tokens)
    if len(words) == 1 and words[0].like_num:
        return [("public", text)]
    folded = [fold(t.text).rstrip(",") for t in tokens]
    context = set(folded)
    former = set()
    in_former = False
    for n, word in enumerate(folded):
        if word in ("and", "or", ",", ";"):
            in_former = False
        if word in FORMER or word.startswith("ex-"):
            in_former = True
        if in_former:
            former.add(n)
    order = list(range(len(tokens)))
    order = order[::-1] if nearest_last else sorted(order, key=lambda n: tokens[n].i != head.i)
    current = [n for n in order if n not in former] + [n for n in order if n in former]
    for n in current:
        kind = _word_class(folded[n], context)
        if kind is not None:
            return [(kind, text)]
    return []


def _ends_descriptor(token: Token) -> bool:
    """Whether a descriptor stops before ``token``: a line break, a separator, a comma or a
    relative clause ("a lawyer for the Sierra Club, who has been ...")."""
    return (
        token.is_space
        or "\n" in token.text
        or token.text in ("|", "/", ",", ";", "(")
        or (
            token.lower_ in ("who", "which", "that", "whose") and token.dep_ in ("nsubj", "nsubjpass", "poss")
        )
        or token.dep_ == "relcl"
    )


def _word_class(word: str, context: set[str]) -> str | None:
    if word in SEATED:
        return "politician" if context & LEGISLATURES else "official" if word != "member" else None
    if word == "secretary" and "press" in context:
        return "spokesperson"
    kind = ROLE_CLASSES.get(word)
    if kind is None and word.endswith("s"):
        kind = ROLE_CLASSES.get(word[:-1])
    return kind


def doc_text(tokens: list[Token]) -> str:
    """The text the tokens cover, as written."""
    doc = tokens[0].doc
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def entity_role(doc: Doc | None, mentions: Iterable[dict[str, Any]]) -> dict[str, str] | None:
    """The role of a PERSON entity from the descriptors of all its mentions (None: no parse)."""
    if doc is None or not doc.has_annotation("DEP"):
        return None
    found: list[tuple[str, str]] = []
    for mention in mentions:
        found.extend(mention_descriptors(doc, mention["start"], mention["end"]))
    return role_of(found)
