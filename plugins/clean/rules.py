# ruff: noqa: RUF001 -- typographic quotes and dashes are what these patterns are about
"""Line rules: the boilerplate of the news trade, one named rule per pattern family.

Every rule looks at one line at a time (a line of scraped text, or a paragraph that
trafilatura extracted) and says what to take out of it. A removal is recorded as
``{"kind", "text", "rule"}`` so a user can audit every deletion. Rules are switched on and
off, and extended with extra regular expressions, from the step's ``with:`` (see
``config.py``).

The patterns are deliberately anchored to the whole line and capped in length: a line of
running prose that merely starts with "Read more" or mentions Reuters must survive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Removal = dict[str, str]
"""``{"kind": ..., "text": ..., "rule": ...}``, one entry of a document's ``removed`` list."""

MAX_BOILERPLATE_CHARS = 200
"""Lines longer than this are prose, whatever they start with (captions excepted)."""

# Photo agencies and picture desks that appear in credit lines. Extendable per pipeline.
AGENCIES = (
    "Getty Images",
    "Getty",
    "AFP",
    "Reuters",
    "AP Photo",
    "AP",
    "Associated Press",
    "EPA",
    "EPA-EFE",
    "EFE",
    "Shutterstock",
    "Alamy",
    "iStock",
    "iStockphoto",
    "PA Images",
    "PA Wire",
    "PA",
    "Bloomberg",
    "dpa",
    "ANP",
    "ANSA",
    "Xinhua",
    "Sipa",
    "Sipa USA",
    "NurPhoto",
    "SOPA Images",
    "LightRocket",
    "Anadolu",
    "Anadolu Agency",
    "Middle East Images",
    "TASS",
    "Sputnik",
    "Kyodo",
    "Yonhap",
    "Imago",
    "Zuma Press",
    "ZUMA Wire",
    "Corbis",
    "Pool",
    "Wikimedia Commons",
    "Flickr",
    "Unsplash",
    "Handout",
)

CREDIT_PREFIX = re.compile(
    r"(?i)^[(\[]?\s*(?:photo(?:graph)?s?|image|picture|pic|illustration|video|graphic|credit|"
    r"(?:photo|image|picture)\s+credit|courtesy(?: of)?)\s*(?::|by\b|©)\s*\S"
)
QUOTE_OPENERS = "“\"‘'«„"
SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*$")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass
class RuleSet:
    """The line rules one step runs, built once from its config."""

    enabled: dict[str, bool]
    extra: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)
    agencies: tuple[str, ...] = AGENCIES

    def __post_init__(self) -> None:
        names = sorted(self.agencies, key=len, reverse=True)
        alternation = "|".join(re.escape(name) for name in names)
        # An agency name standing as a word, typically after a slash or "via".
        self._agency = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
        self._agency_photo = re.compile(rf"^[(\[]?(?:{alternation})\s+(?:photo|images?|pictures?)\b", re.I)
        self._agency_tail = re.compile(rf"(?:/|\bvia\s+|\bfor\s+|\(|^)\s*(?:{alternation})\)?\s*$")

    def on(self, rule: str) -> bool:
        return self.enabled.get(rule, True)

    def extra_match(self, rule: str, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.extra.get(rule, ()))

    # ------------------------------------------------------------------ credits

    def is_credit(self, text: str) -> bool:
        """Whether ``text`` (a whole line, or the tail after a ``|``) is a picture credit."""
        text = text.strip()
        if not text or len(text) > 160 or len(text.split()) > 16:
            return False
        if self.extra_match("credits", text):
            return True
        if CREDIT_PREFIX.match(text) or self._agency_photo.match(text):
            return True
        if SENTENCE_END.search(text) and not text.endswith(")"):
            return False  # credits do not end like sentences
        # "Name/Agency", "Name/Agency via Getty Images", "Agency", "(Agency)"
        return bool(self._agency_tail.search(text))

    def split_caption(self, line: str) -> tuple[str, str] | None:
        """``(caption, credit)`` when ``line`` is a caption that ends in a picture credit."""
        if " | " in line or line.rstrip().endswith("|"):
            caption, _, credit = line.rpartition("|")
            if caption.strip() and self.is_credit(credit):
                return caption.strip(), credit.strip()
        # "Caption sentence. Photo: Name/Agency" and "Caption. (Photo by Name/Getty Images)"
        match = re.match(
            r"^(?P<caption>.*?[.!?”\"’])\s+(?P<credit>[(\[]?(?:photo(?:graph)?|image|picture|credit|"
            r"illustration)\b.*)$",
            line,
            re.IGNORECASE,
        )
        if match and self.is_credit(match["credit"]):
            return match["caption"].strip(), match["credit"].strip()
        return None


# ---------------------------------------------------------------------- line patterns


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


SEPARATOR_TAIL = r"\s*(?:(?:[:\-–—|»>›…]|\.{3})+.*)?"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
WEB_ADDRESS = r"<?(?:https?://|www\.)\S+>?|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|io)/\S*"

LINE_RULES: dict[str, tuple[str, re.Pattern[str], str]] = {
    # name: (kind, pattern over the whole line, description)
    "read_more": (
        "boilerplate",
        _any(
            r"[\[(]?(?:(?:read|see) (?:more|also)|also read|also|related(?: articles?| stories| content| coverage|"
            r" links?| posts?| reading)?|more on (?:this|that)(?: story| topic)?|recommended(?: for you| reading)?|"
            r"you (?:may|might) also (?:like|enjoy|be interested in)|more from .{1,40}|also on \S+|"
            r"don[’']t miss|continue reading|keep reading|(?:more|top|latest) (?:stories|news)|"
            r"most (?:read|popular|viewed|shared)(?: in .{1,30})?|trending(?: now)?)" + SEPARATOR_TAIL,
            r".{0,150}\bclick here\b.*",
        ),
        '"Read more", "Related", "See also", "You may also like", "Most read", "Click here ..." lines;'
        " a list of short lines right after one goes too",
    ),
    "sign_up": (
        "boilerplate",
        _any(
            r"(?:sign up|subscribe|register)(?: now| today| here| free)?" + SEPARATOR_TAIL,
            r".{0,120}\b(?:sign up|subscribe)\b.{0,120}\bnewsletters?\b.*",
            r".{0,120}\bnewsletters?\b.{0,120}\b(?:sign up|subscribe)\b.*",
            r"(?:sign up|subscribe|register) (?:for|to) (?:our|the|my|a free) .{0,60}"
            r"(?:e-?mails?|alerts?|updates|digest|briefing|podcast|channel)\b.*",
            r"(?:get|receive) (?:our|the) .{0,40}newsletters?\b.*",
            r"join our (?:newsletter|mailing list)\b.*",
            r"newsletter(?: sign[- ]?up)?" + SEPARATOR_TAIL,
            r"already (?:a subscriber|have an account)\b.*",
            r"(?:become a (?:member|subscriber)|support (?:our|independent) journalism)\b.*",
        ),
        '"Sign up for our newsletter", "Subscribe now", newsletter prompts',
    ),
    "follow_us": (
        "boilerplate",
        _any(
            r"(?:follow|like|join|find|connect with) (?:us|@\w+|[\w .@-]{1,40}?) on "
            r"(?:twitter|x|facebook|instagram|linkedin|telegram|tiktok|youtube|threads|bluesky|mastodon|"
            r"whatsapp|google news)\b.*",
            r"follow us\b.*",
        ),
        '"Follow us on ...", "Follow @name on X", "Like us on Facebook"',
    ),
    "share": (
        "boilerplate",
        _any(
            r"(?:(?:share(?: this(?: article| story| page| post)?)?|share (?:on|via) \w+|tweet|e-?mail|print|"
            r"copy(?: link)?|link copied|facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|telegram|"
            r"messenger|flipboard|save|bookmark|gift (?:this )?article)\s*[|·•,/]?\s*)+",
            r"(?:like|enjoy(?:ed)?|love) this (?:story|article|post)\?.{0,80}",
        ),
        'share-button text (Share, Tweet, Email, Copy link, ...) and "Like this story? Share it"',
    ),
    "copyright": (
        "boilerplate",
        _any(r"(?:©|\(c\)|copyright\b).*", r".{0,150}\ball rights reserved\.?"),
        'copyright lines ("© 2025 ...", "Copyright ...", "... All rights reserved.")',
    ),
    "bare_urls": (
        "boilerplate",
        _any(rf"(?:[\w ]{{1,20}}:\s*)?(?:{WEB_ADDRESS})", EMAIL),
        'lines that are only a URL or an e-mail address (or "Label: URL")',
    ),
    "ads": (
        "boilerplate",
        _any(
            r"(?:advertisement|advert|ad|sponsored(?: content)?|paid content|"
            r"(?:story|article) continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?|"
            r"scroll to continue(?: with content)?)\s*[.:]?",
            r".*\[/\w+\].*",  # leftover shortcodes: [button ...]text[/button]
        ),
        '"Advertisement", "Story continues below" and similar ad slots; leftover [shortcode]s',
    ),
    "comments": (
        "boilerplate",
        _any(
            r"(?:\d+\s+)?(?:comments?|replies|shares?)",
            r"comments?\s*\(\d+\)",
            r"(?:leave|post|add) a (?:comment|reply)\b.*",
            r"comments are closed\.?",
            r"(?:show|view|load|hide) (?:all )?comments?(?: \(\d+\))?",
            r"join the (?:conversation|discussion)\b.*",
        ),
        "comment counters and prompts",
    ),
    "tags": (
        "boilerplate",
        _any(r"(?:filed under|tags?|tagged(?: with)?|topics|categories|posted in)\s*:.{0,150}"),
        '"Filed under: ...", "Tags: ..." lines',
    ),
    "timestamps": (
        "dateline",
        _any(
            r"(?:last )?(?:updated|published|posted|modified)(?: on| at)?:?\s+[\w ,/:.-]{0,40}?"
            r"(?:\d{1,2}[:.]\d{2}|\d{4}|ago)(?:\s*(?:[ap]\.?m\.?|[a-z]{2,4}))?\.?",
            r"\d+\s*(?:min(?:ute)?s?|hours?) (?:read|ago)\.?",
            r"reading time:?\s*.{0,30}",
        ),
        '"Updated at 1:23 p.m.", "5 min read", "2 hours ago" anywhere in the text',
    ),
    "reporting_credits": (
        "credit",
        _any(
            r"\((?:(?:additional )?reporting|writing|editing|compiled|edited|produced|translated|research)"
            r" by\b[^)]*\)",
            r"(?:with )?(?:additional )?(?:reporting|writing|editing) by "
            r"(?-i:[A-Z][\w.'’-]*(?:[ ,]+(?:and |in |from )?[A-Z][\w.'’-]*)*)(?:;.*|\.)?",
            r"[^.]{0,200}\bcontributed (?:reporting|to this (?:report|story|article))\b.{0,80}",
            r"source\s*:\s*[^.]{1,60}\.?",
        ),
        'credit lines such as "(Reporting by ...; Editing by ...)", "X contributed reporting", "Source: ..."',
    ),
}

FOOTER_PATTERNS = _any(
    # "News Moderator - Name https://...", "Editor: Name", "Staff writer | Name"
    r"(?:[\w.'’-]+\s){0,3}(?:moderator|editor|reporter|correspondent|writer|author|contributor|columnist|"
    r"journalist)s?\s*[-–—:|]\s*\S.{0,100}",
    r"(?:this (?:article|story|post) (?:was|is|has been)|originally published|first published|"
    r"the views expressed|this content was)\b.*",
    # contact lines: "Have a tip? Jane may be reached at jane@example.com. Follow her on Twitter @jane."
    rf".{{0,200}}(?:{EMAIL}|\s@\w{{2,}}).{{0,100}}",
)


def match_line_rule(line: str, rules: RuleSet) -> Removal | None:
    """The removal a boilerplate rule makes of the whole ``line``, or ``None``."""
    if len(line) <= MAX_BOILERPLATE_CHARS:
        for name, (kind, pattern, _description) in LINE_RULES.items():
            if rules.on(name) and (pattern.fullmatch(line) or rules.extra_match(name, line)):
                return {"kind": kind, "text": line, "rule": name}
    if rules.extra_match("boilerplate", line):
        return {"kind": "boilerplate", "text": line, "rule": "boilerplate"}
    return None


def match_caption(line: str, rules: RuleSet) -> list[Removal] | None:
    """The removals of a caption line (its caption and credit), or ``None``."""
    if rules.on("captions"):
        parts = rules.split_caption(line)
        if parts is not None:
            caption, credit = parts
            kind = "pull_quote" if caption[:1] in QUOTE_OPENERS else "caption"
            return [
                {"kind": kind, "text": caption, "rule": "captions"},
                {"kind": "credit", "text": credit, "rule": "captions"},
            ]
    if rules.on("credits") and rules.is_credit(line):
        return [{"kind": "credit", "text": line, "rule": "credits"}]
    return None


PROSE_SENTENCE_WORDS = 10
"""A sentence of this many words (addresses left out) is body text, wherever it stands."""
_ADDRESSES = re.compile(rf"{URL.pattern}|{EMAIL}|(?<!\w)@\w+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)")


def reads_as_body(line: str) -> bool:
    """Whether ``line`` holds a sentence of body text (``PROSE_SENTENCE_WORDS`` words or more,
    links, e-mail addresses and handles not counted): an author's bio, a contact paragraph that
    says something ("Families can call the helpline ..."), not "Follow her on Twitter @jane"."""
    sentences = _SENTENCE_END.split(_ADDRESSES.sub("", line))
    return any(len(sentence.split()) >= PROSE_SENTENCE_WORDS for sentence in sentences)


def match_footer(line: str, rules: RuleSet) -> Removal | None:
    """A footer line (only asked about lines at the end of a document); the built-in patterns
    never take a line that ``reads_as_body``, a pattern of the pipeline's own always does."""
    if not rules.on("footer"):
        return None
    words = len(URL.sub("", line).split())
    staff_line = FOOTER_PATTERNS.fullmatch(line) and len(line) <= MAX_BOILERPLATE_CHARS
    short_with_url = URL.search(line) and words <= 12
    if ((staff_line or short_with_url) and not reads_as_body(line)) or rules.extra_match("footer", line):
        return {"kind": "footer", "text": line, "rule": "footer"}
    return None


def compile_patterns(patterns: Iterable[str], where: str) -> list[re.Pattern[str]]:
    """Compile user regexes, naming the bad one (the loader reports it as a build error)."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as error:
            raise ValueError(f"{where}: invalid regular expression {pattern!r}: {error}") from None
    return compiled


def normalise_for_compare(text: str) -> str:
    """Lower-case words only: how duplicates (captions repeating the body) are compared."""
    return " ".join(re.findall(r"\w+", text.lower()))


def find_duplicates(paragraphs: Sequence[str], min_words: int = 8) -> dict[int, int]:
    """Paragraphs repeating part of a longer one: ``{index: index of the longer paragraph}``.

    A pull quote repeats a paragraph's first sentence; a caption repeats a body sentence. The
    longer paragraph stays. Paragraphs repeated whole are left alone: interviews repeat
    their questions, and nothing says which copy is the stray one.
    """
    keys = [normalise_for_compare(p) for p in paragraphs]
    # A paragraph that holds a key holds each of its words: only the paragraphs with the key's
    # rarest word are compared, and each distinct key once (a longer paragraph is never the
    # same key), so that a long document is not compared all against all.
    holding: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        for word in set(key.split()):
            holding.setdefault(word, []).append(j)
    found: dict[str, int | None] = {}
    duplicates: dict[int, int] = {}
    for i, key in enumerate(keys):
        words = key.split()
        if len(words) < min_words:
            continue
        if key not in found:
            padded = f" {key} "
            rarest = min(words, key=lambda word: len(holding[word]))
            found[key] = next(
                (j for j in holding[rarest] if len(keys[j]) > len(key) and padded in f" {keys[j]} "), None
            )
        longer = found[key]
        if longer is not None:
            duplicates[i] = longer
    return duplicates
