"""Findings for the terminal: `tribune check_article` and `tribune import` share these."""

from typing import Any

from tribune.checks.base import Draft, Finding


def draft_from_file(parsed: Any) -> Draft:
    """A parsed import file (tribune.articles.interchange) as the checks read it."""
    return Draft(
        title=parsed.title, summary=parsed.summary, body=parsed.body, language=parsed.language
    )


def describe(finding: Finding) -> list[str]:
    """A finding as readable lines: severity, check and message, then each passage quoted."""
    lines = [f"  {finding.severity!s:<8} {finding.check}: {finding.message}"]
    for passage in finding.passages:
        text = " ".join(passage.text.split())
        text = text if len(text) <= 160 else text[:157] + "..."
        lines.append(
            f"           {passage.field} [{passage.start}:{passage.end}]: \u201c{text}\u201d"
        )
    return lines
