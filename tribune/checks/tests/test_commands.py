"""`tribune check_article` and the checks inside `tribune import`, run as an operator would."""

import json
import textwrap
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tribune.articles.models import Article

pytestmark = pytest.mark.django_db

CLEAN = """\
---
title: "A new hotel for the harbour"
author: "Mara Lindqvist"
language: en
---
The council wants to sell the old customs house to an investor who plans a hotel.
"""
BLOCKED = CLEAN.replace("a hotel", "a casino").replace("new hotel", "new casino")


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*map(str, args), stdout=out, stderr=err, no_color=True)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_check_article_prints_each_finding_with_its_passages_and_exits_1_when_one_blocks(
    test_checks, tmp_path
):
    blocked = write(tmp_path, "casino.md", BLOCKED)
    out, _err, error = run("check_article", blocked)
    assert error is not None and error.returncode == 1
    assert str(blocked) in out
    assert "blocking forbidden: Enter a valid value." in out
    assert "title [6:12]: \u201ccasino\u201d" in out
    assert "short: The text is short." not in out  # 15 words: not short

    clean = write(tmp_path, "hotel.md", CLEAN)
    out, _err, error = run("check_article", clean)
    assert error is None and "nothing found" in out


def test_check_article_speaks_json_and_the_chosen_language(test_checks, tmp_path):
    write(tmp_path, "casino.md", BLOCKED)
    write(tmp_path, "hotel.md", CLEAN)
    out, _err, error = run("check_article", tmp_path, "--json", "--language", "de")
    assert error.returncode == 1
    document = json.loads(out)
    by_name = {file["path"].rsplit("/", 1)[-1]: file["findings"] for file in document["files"]}
    assert by_name["hotel.md"] == []
    assert by_name["casino.md"][0] == {
        "check": "forbidden",
        "severity": "blocking",
        "message": "Bitte einen gültigen Wert eingeben.",
        "passages": [{"field": "title", "start": 6, "end": 12, "text": "casino"}],
        "data": {"word": "casino"},
    }
    assert document["unreadable"] == []


def test_check_article_exits_2_naming_a_file_it_cannot_read(test_checks, tmp_path):
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"\xff\xfe\x00binary")
    missing = tmp_path / "missing.md"
    out, err, error = run("check_article", junk, missing, write(tmp_path, "casino.md", BLOCKED))
    assert error.returncode == 2
    assert f"{junk}: file: is not UTF-8 text" in err
    assert f"{missing}: file: cannot be read" in err
    assert "casino.md" in out, "the readable file is still checked"


def test_check_article_lists_the_checks_with_their_switches_and_options(test_checks, settings):
    settings.TRIBUNE_CHECKS_OFF = ["short"]
    out, _err, error = run("check_article", "--list")
    assert error is None
    assert 'on  forbidden (Forbidden words): {"words": ["casino"]}' in out
    assert "off short (Short text)" in out and "off broken (Broken)" in out


def test_import_refuses_a_file_with_blocking_findings_unless_forced(test_checks, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "casino.md", BLOCKED)
    write(folder, "hotel.md", CLEAN.replace('title: "A new hotel', 'title: "Another hotel'))
    out, err, error = run("import", folder)
    assert error is not None and "1 imported, 1 refused" in str(error)
    assert "casino.md: checks: blocking findings (forbidden); fix them or use --force" in err
    assert "blocking forbidden: Enter a valid value." in out
    assert list(Article.objects.values_list("slug", flat=True)) == ["another-hotel-for-the-harbour"]

    out, err, error = run("import", folder / "casino.md", "--force")
    assert error is None and "1 imported, 0 refused" in out
    assert Article.objects.filter(slug="a-new-casino-for-the-harbour").exists()
