"""The clean plugin: ``clean.html`` and ``clean.text``, the steps that make ``text``.

Both record every deletion in the document's ``removed`` list (kind, text, rule) so a user
can audit it. See ``docs/steps/clean.md`` for the rules and options.
"""

from __future__ import annotations

from presspipe import StepSpec, hookimpl
from presspipe.plugins.clean.config import HTML_SCHEMA, TEXT_SCHEMA
from presspipe.plugins.clean.html import CleanHtml
from presspipe.plugins.clean.text import CleanText

VERSION = "0.1.0"


@hookimpl
def presspipe_steps() -> list[StepSpec]:
    return [
        StepSpec(
            name="clean.html",
            factory=CleanHtml,
            version=VERSION,
            description=(
                "Extract the article from an HTML page (trafilatura): body text, title, authors, date and "
                "language; then remove captions, credits, footers and boilerplate as clean.text does."
            ),
            config_schema=HTML_SCHEMA,
            requires=("html",),
            provides=("text", "meta", "removed"),
        ),
        StepSpec(
            name="clean.text",
            factory=CleanText,
            version=VERSION,
            description=(
                "Clean scraped plain text: title, dateline, byline and section headings into meta; "
                "captions, credits, pull quotes, footers and boilerplate out, each recorded in 'removed'."
            ),
            config_schema=TEXT_SCHEMA,
            requires=("text",),
            provides=("text", "meta", "removed"),
        ),
    ]
