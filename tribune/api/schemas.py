"""The shapes of what the API takes and gives. The OpenAPI document is generated from
these type hints, examples included, so code and documentation cannot drift apart."""

import datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

# Numbers stay within what every database column takes (a bigger one would reach the
# database and fail there).
MAX_INT = 2**31 - 1
EXAMPLE_UUID = "4f9c2e1a-8d3b-4c5e-9a7f-1b2c3d4e5f60"


class Problem(Schema):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["title: The headline may not be empty."])
    code: str = Field(
        description="A stable word for programs: invalid, token_missing, token_invalid, "
        "token_revoked, token_expired, scope_missing, permission_denied, not_found, conflict, "
        "rate_limited, bad_cursor, method_not_allowed, http_error.",
        examples=["invalid"],
    )
    errors: list["FieldError"] = Field(
        description="Field-level messages (the same as the web forms show).",
        examples=[[{"field": "title", "message": "The headline may not be empty."}]],
    )


class FieldError(Schema):
    field: str = Field(description="The field at fault; empty for the request as a whole.")
    message: str


Problem.model_rebuild()


class Rendition(Schema):
    width: int = Field(examples=[800])
    height: int = Field(examples=[420])
    url: str = Field(examples=["https://news.example.org/media/covers/…/3f2a-800.webp"])


class Cover(Schema):
    ready: bool = Field(description="False until the cover has been drawn; then no files.")
    source: str = Field(description="generated or uploaded", examples=["generated"])
    alt: str = Field(examples=["Abstract illustration: circles in blue and green"])
    caption: str = Field(
        examples=["Computer-generated illustration. It does not depict real people or events."]
    )
    credit: str = Field(examples=[""])
    webp: list[Rendition]
    jpeg: list[Rendition]
    social: str | None = Field(description="A 1200 by 630 card with the headline, for sharing.")


class TopicRef(Schema):
    slug: str = Field(examples=["technology"])
    name: str = Field(description="In the article's language.", examples=["Technology"])


class AuthorRef(Schema):
    slug: str = Field(examples=["ada-lovelace"])
    name: str = Field(examples=["Ada Lovelace"])
    url: str = Field(examples=["https://news.example.org/en/authors/ada-lovelace/"])


class ArticleCard(Schema):
    uuid: UUID = Field(examples=[EXAMPLE_UUID])
    language: str = Field(examples=["en"])
    slug: str = Field(examples=["our-river-measured-by-us"])
    url: str = Field(examples=["https://news.example.org/en/articles/our-river-measured-by-us/"])
    title: str = Field(examples=["Our river, measured by us"])
    summary: str = Field(examples=["Volunteers test the water every month."])
    author: AuthorRef
    topics: list[TopicRef]
    published_at: datetime.datetime
    updated_at: datetime.datetime | None = Field(description="Last edit after publication.")
    reading_minutes: int = Field(examples=[4])
    cover: Cover


class ArticleList(Schema):
    items: list[ArticleCard]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page.",
        examples=["eyJ0IjoiMjAyNi0wMS0wMVQxMjowMDowMCswMDowMCIsImkiOjQyfQ"],
    )


class TranslationRef(Schema):
    uuid: UUID
    language: str = Field(examples=["de"])
    slug: str = Field(examples=["unser-fluss-von-uns-gemessen"])
    url: str


class RelatedCard(Schema):
    uuid: UUID
    language: str
    slug: str
    url: str
    title: str
    reading_minutes: int
    cover: Cover


class Heading(Schema):
    level: int = Field(examples=[2])
    text: str = Field(examples=["What we found"])
    anchor: str = Field(examples=["what-we-found"])


class ArticleDetail(ArticleCard):
    body_html: str = Field(description="Rendered once per revision and sanitized.")
    body_markdown: str = Field(description="The Markdown the author wrote.")
    headings: list[Heading]
    sources: list[str] = Field(examples=[["https://example.org/river-report"]])
    translations: list[TranslationRef]
    related: list[RelatedCard] = Field(description="“You might also like”, best first.")


class Topic(Schema):
    slug: str = Field(examples=["technology"])
    name: str = Field(examples=["Technology"])
    names: dict[str, str] = Field(
        description="The name per site language.", examples=[{"en": "Technology", "de": "Technik"}]
    )


class Author(Schema):
    slug: str = Field(examples=["ada-lovelace"])
    name: str = Field(examples=["Ada Lovelace"])
    url: str
    bios: dict[str, str] = Field(examples=[{"en": "Writes about rivers."}])


class AuthorList(Schema):
    items: list[Author]
    next_cursor: str | None


# The contributor API.


class DraftIn(Schema):
    """A new draft: the fields of the web form's writing page."""

    title: str = Field(examples=["Our river, measured by us"])
    body: str = Field(
        description="Markdown.",
        examples=["Every month we test the water.\n\n## What we found\n\nIt is clean."],
    )
    summary: str = Field("", examples=["Volunteers test the water every month."])
    language: str = Field(examples=["en"])
    topics: list[str] = Field(default_factory=list, description="Topic slugs.")
    sources: list[str] = Field(
        default_factory=list, examples=[["https://example.org/river-report"]]
    )
    translation_of: str = Field(
        "", description="The address of a published article of ours that this translates."
    )


class DraftChange(Schema):
    """A new revision: fields left out keep their current value."""

    title: str | None = None
    body: str | None = None
    summary: str | None = None
    topics: list[str] | None = None
    sources: list[str] | None = None
    based_on: int | None = Field(
        None,
        ge=1,
        le=MAX_INT,
        description="The revision number you edited; if someone saved a newer one "
        "meanwhile, the change is refused with 409 and nothing is stored.",
        examples=[1],
    )


class SubmitIn(Schema):
    accept_guidelines: int = Field(
        ge=0,
        le=MAX_INT,
        description="The version of the submission guidelines you accept; it must be the "
        "current one (`guidelines.version` of the article).",
        examples=[1],
    )


class SubmissionState(Schema):
    state: str = Field(examples=["submitted"])
    submitted_at: datetime.datetime
    decided_at: datetime.datetime | None
    message: str = Field(description="The editors' message, once they decided.")


class Guidelines(Schema):
    version: int = Field(examples=[1])
    url: str


class OwnArticle(Schema):
    uuid: UUID = Field(examples=[EXAMPLE_UUID])
    language: str
    slug: str
    status: str = Field(examples=["draft"])
    status_label: str = Field(examples=["Draft"])
    revision: int = Field(description="Number of the latest revision.", examples=[1])
    title: str
    summary: str
    body: str
    topics: list[str]
    sources: list[str]
    created_at: datetime.datetime
    saved_at: datetime.datetime
    published_at: datetime.datetime | None
    url: str | None = Field(description="The public address once published.")
    submission: SubmissionState | None
    guidelines: Guidelines
    cover: Cover


class OwnArticleList(Schema):
    items: list[OwnArticle]


class Findings(Schema):
    findings: list[dict[str, Any]] = Field(
        description="What the automated guideline checks found on the latest submission.",
        examples=[[{"check": "sources", "severity": "warning", "message": "No sources."}]],
    )
