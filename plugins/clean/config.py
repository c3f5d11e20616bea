"""The ``with:`` of clean.text and clean.html: JSON Schemas, and the rules they switch.

Each rule can be switched off (``rules: {share: false}``) and extended with regular
expressions (``patterns: {read_more: ["^Lees ook"]}``); ``docs/steps/clean.md`` lists them.
The step fills in defaults itself as well, so a config that only names what it changes works
whether or not the loader filled nested defaults.
"""

from __future__ import annotations

from typing import Any

from presspipe.plugins.clean.rules import AGENCIES, LINE_RULES, RuleSet, compile_patterns

STRUCTURE_RULES: dict[str, str] = {
    "title": (
        "clean.text: the first line (and a subhead), when it reads as a headline or repeats the caller's title, "
        "clean.html: a first paragraph repeating the page's title goes"
    ),
    "dateline": "a line near the top that is only a date (and time) becomes meta.published",
    "byline": 'a "By Name" line near the top becomes meta.authors',
    "agency_dateline": 'a leading "LONDON (Reuters) -", "WASHINGTON --" or "KOBE -" is cut whole from the first paragraph',
    "headings": "section headings leave the running text for meta.headings",
    "captions": 'a line ending in a picture credit ("... | Name/AFP via Getty Images") goes, caption and credit',
    "credits": 'a line that is only a picture credit ("Photo: Name/Reuters") goes',
    "duplicates": "a paragraph repeating text found elsewhere (pull quote, caption) goes; the fuller copy stays",
    "footer": 'short lines at the end with a URL or a staff credit ("News Moderator - Name https://...") go',
}
RULE_DESCRIPTIONS: dict[str, str] = {
    **STRUCTURE_RULES,
    **{name: description for name, (_kind, _pattern, description) in LINE_RULES.items()},
}
PATTERN_KEYS = ("credits", "footer", "boilerplate", *LINE_RULES)


def _rules_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "default": {},
        "description": "switch rules on (true, the default) or off (false)",
        "properties": {
            name: {"type": "boolean", "default": True, "description": description}
            for name, description in RULE_DESCRIPTIONS.items()
        },
    }


def _patterns_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        name: {
            "type": "array",
            "items": {"type": "string", "format": "regex"},
            "default": [],
            "description": f"extra regular expressions (case-insensitive, searched in a line) for rule '{name}'",
        }
        for name in PATTERN_KEYS
    }
    properties["boilerplate"]["description"] = (
        "regular expressions (case-insensitive, searched in a line) for any other line to remove"
    )
    properties["credits"]["description"] = (
        "regular expressions that mark a line (or the text after a '|') as a picture credit"
    )
    return {
        "type": "object",
        "additionalProperties": False,
        "default": {},
        "description": "extra patterns per rule; a line they match is removed with that rule's kind",
        "properties": properties,
    }


COMMON_PROPERTIES: dict[str, Any] = {
    "rules": _rules_schema(),
    "patterns": _patterns_schema(),
    "agencies": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": f"extra photo agency names recognised in credit lines (built in: {', '.join(AGENCIES[:8])}, ...)",
    },
    "footer_lines": {
        "type": "integer",
        "minimum": 0,
        "default": 3,
        "description": "how many lines at the end of a document the footer rule looks at",
    },
    "detect_language": {
        "type": "boolean",
        "default": True,
        "description": "detect meta.language from the text (py3langid) when the source does not say",
    },
    "languages": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[a-z]{2,3}$"},
        "default": [],
        "description": (
            "keep only documents in these languages (ISO 639-1 codes, 'en'); the others, and those whose "
            "language cannot be told, are dropped: left out of the output and counted by presspipe run"
        ),
    },
}

TEXT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "Clean scraped plain text: title, dateline, headings to meta; captions, credits, boilerplate out.",
    "properties": {
        **COMMON_PROPERTIES,
        "max_chars": {
            "type": "integer",
            "minimum": 1,
            "description": "a longer text fails with error clean.too_large (default: no limit of its "
            "own; the run's max_chars, presspipe run --max-chars, applies to every text)",
        },
    },
}

HTML_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "Extract the article from an HTML page with trafilatura, then clean it as clean.text does.",
    "properties": {
        **COMMON_PROPERTIES,
        "max_bytes": {
            "type": "integer",
            "minimum": 1,
            "default": 5_000_000,
            "description": "a larger page (UTF-8 bytes) fails with error clean.too_large",
        },
        "min_words": {
            "type": "integer",
            "minimum": 0,
            "default": 10,
            "description": "a page whose cleaned text has fewer words fails with error clean.empty (no article)",
        },
        "favor_precision": {
            "type": "boolean",
            "default": True,
            "description": "trafilatura: prefer leaving out doubtful blocks (measured better on news pages)",
        },
        "include_comments": {
            "type": "boolean",
            "default": False,
            "description": "trafilatura: keep the reader comments section",
        },
        "include_tables": {
            "type": "boolean",
            "default": True,
            "description": "trafilatura: keep tables (one line per row)",
        },
        "fallback": {
            "type": "boolean",
            "default": True,
            "description": "trafilatura: compare with its readability and jusText fallbacks on doubtful pages",
        },
    },
}


def build_rules(config: dict[str, Any]) -> RuleSet:
    """The ``RuleSet`` a (defaults-filled) config asks for; bad regexes raise ``ValueError``."""
    extra = {
        name: compile_patterns(patterns, f"patterns.{name}") for name, patterns in config["patterns"].items()
    }
    return RuleSet(enabled=dict(config["rules"]), extra=extra, agencies=(*AGENCIES, *config["agencies"]))
