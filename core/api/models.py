"""The request and response models of the HTTP API: they generate its OpenAPI schema.

Documents are described loosely (``extra`` keys allowed), since a pipeline's plugins may add
keys of their own; ``GET /v1/schema/document`` serves the exact JSON Schema.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from presspipe.document import not_fields

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$"


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


# ---------------------------------------------------------------------- input


class DocumentIn(BaseModel):
    """A raw document: exactly one of ``text`` and ``html``, optionally an id, a URI and metadata."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "“We will win,” said Ada Lovelace in London.", "meta": {"title": "Win"}}]
        },
    )

    text: str | None = Field(None, min_length=1, description="plain text of the article")
    html: str | None = Field(
        None, min_length=1, description="HTML of a page (needs a pipeline with clean.html)"
    )
    id: str | None = Field(
        None, pattern=ID_PATTERN, description="the document's id; a hash of the content when left out"
    )
    uri: str | None = Field(None, max_length=2048, description="where the document came from")
    meta: dict[str, Any] | None = Field(
        None, description="metadata kept with the document (title, published, ...)"
    )

    @model_validator(mode="before")
    @classmethod
    def _has_a_body(cls, data: Any) -> Any:
        if isinstance(data, dict) and "text" not in data and "html" not in data:
            unknown = sorted(set(data) - set(cls.model_fields))
            hint = (
                f"; {not_fields(unknown)} (fields: {', '.join(cls.model_fields)}; a title goes in meta)"
                if unknown
                else ""
            )
            raise ValueError(f"give 'text' or 'html': the article's plain text or its HTML page{hint}")
        return data

    @model_validator(mode="after")
    def _one_body(self) -> DocumentIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' and 'html'")
        body = self.text if self.text is not None else self.html
        if body is not None and not body.strip():
            raise ValueError("the text is empty (only whitespace)")
        return self


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentIn] = Field(..., min_length=1, description="the raw documents to process")


# ---------------------------------------------------------------------- documents


class Span(_Open):
    text: str
    start: int
    end: int


class Entity(_Open):
    id: str
    name: str
    label: str
    salience: float | None = None
    mentions: list[Span]


class Speaker(_Open):
    text: str
    start: int
    end: int
    entity: str | None = Field(description="id of the entity the speaker is, or null")


class Quote(_Open):
    id: str
    text: str
    start: int
    end: int
    kind: Literal["direct", "partial", "indirect"]
    speaker: Speaker | None
    cue: Span | None


class SummarySentence(_Open):
    start: int
    end: int
    score: float | None = None


class Summary(_Open):
    method: str
    sentences: list[SummarySentence]
    text: str


class Source(_Open):
    uri: str | None = None
    media_type: str
    sha256: str


class PipelineRef(_Open):
    name: str
    sha256: str


class Provenance(_Open):
    presspipe: str
    pipeline: PipelineRef
    steps: list[dict[str, Any]]


class DocumentError(_Open):
    step: str | None
    code: str
    message: str


class DocumentOut(_Open):
    """A processed document (see ``GET /v1/schema/document`` for its exact JSON Schema)."""

    schema_version: int
    id: str
    source: Source
    meta: dict[str, Any]
    text: str
    removed: list[dict[str, Any]] | None = None
    entities: list[Entity] | None = None
    quotes: list[Quote] | None = None
    summary: Summary | None = None
    provenance: Provenance | None = None
    errors: list[DocumentError]


class DocumentSummary(BaseModel):
    """A document in a listing."""

    id: str
    pipeline: str
    pipeline_sha256: str
    title: str | None
    published: str | None = Field(description="YYYY-MM-DDTHH:MM:SS, UTC when the source gave a zone")
    uri: str | None
    summary: str | None
    entity_count: int
    quote_count: int
    stored_at: str
    copy_of: str | None = Field(
        None, description="the id of the earlier document this one is a near-copy of (a wire copy), or null"
    )
    url: str = Field(description="where to fetch the whole document")


class Paged(BaseModel):
    """What every listing answers beside its ``items``: where the next page is."""

    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")
    next: str | None = Field(description="the URL of the next page, or null")


class DocumentPage(Paged):
    items: list[DocumentSummary]


class QuotesOut(BaseModel):
    document: str
    pipeline: str
    quotes: list[Quote]


class EntitiesOut(BaseModel):
    document: str
    pipeline: str
    entities: list[Entity]


# ---------------------------------------------------------------------- batches


class BatchResult(BaseModel):
    index: int | None = Field(description="position of the document in the submitted list")
    id: str | None
    status: Literal["created", "unchanged", "failed"]
    errors: list[DocumentError] = Field(description="why it failed, as a document's errors say it")

    @field_validator("errors", mode="before")
    @classmethod
    def _errors_as_objects(cls, errors: Any) -> Any:
        # Batches recorded before errors were objects hold "step: message" strings.
        if isinstance(errors, list):
            return [
                {"step": None, "code": "error", "message": e} if isinstance(e, str) else e for e in errors
            ]
        return errors


class BatchOut(BaseModel):
    id: str
    pipeline: str
    status: Literal["queued", "running", "done", "failed"]
    total: int
    processed: int
    failed: int
    created_at: str
    updated_at: str
    finished_at: str | None
    results: list[BatchResult]
    url: str


# ---------------------------------------------------------------------- pipelines, plugins, health


class PipelineStepOut(BaseModel):
    use: str
    with_: dict[str, Any] = Field(alias="with", serialization_alias="with")
    plugin: str
    version: str

    model_config = ConfigDict(populate_by_name=True)


class PipelineOut(BaseModel):
    name: str
    description: str
    origin: Literal["installed", "directory"]
    sha256: str
    steps: list[PipelineStepOut]


class PipelineDetail(PipelineOut):
    yaml: str
    adds: dict[str, Any] = Field(
        description="JSON Schema of the keys this pipeline's steps add to a document"
    )


class PluginOut(BaseModel):
    name: str
    module: str
    version: str | None
    steps: list[str]
    exporters: list[str]
    readers: list[str]


class FailedPlugin(BaseModel):
    name: str
    error: str


class PluginsOut(BaseModel):
    plugins: list[PluginOut]
    failed: list[FailedPlugin]


class HealthOut(BaseModel):
    status: Literal["ok"]
    store: str
    schema_version: int
    documents: int | None = Field(
        None, description="documents stored; left out when reads need a token and none was given"
    )


# ---------------------------------------------------------------------- errors


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, machine-readable: invalid_json, unknown_pipeline, ...")
    message: str = Field(description="what is wrong and what to do, for a person")
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorOut(BaseModel):
    error: ErrorDetail
