"""Ordinary Markdown renders to the HTML, anchors and reading text the article page expects."""

import dataclasses
import time

import pytest

from tribune.lib.markdown import Heading, render_markdown, sanitize_html, slugify


def test_headings_are_shifted_below_the_page_headline_and_clamped_at_h4():
    rendered = render_markdown("# Eins\n## Zwei\n### Drei\n#### Vier\n##### Fünf\n###### Sechs")
    assert [heading.level for heading in rendered.headings] == [2, 2, 3, 4, 4, 4]
    assert "<h1" not in rendered.html
    assert '<h2 id="h-eins">Eins</h2>' in rendered.html
    assert '<h4 id="h-sechs">Sechs</h4>' in rendered.html


def test_setext_headings_are_shifted_the_same_way():
    rendered = render_markdown("Titel\n=====\n\nUntertitel\n----------")
    assert [(h.level, h.anchor) for h in rendered.headings] == [
        (2, "h-titel"),
        (2, "h-untertitel"),
    ]


def test_german_headings_get_spelled_out_umlauts_in_their_anchor():
    rendered = render_markdown("## Über Straßen und Größe")
    assert rendered.headings == (
        Heading(level=2, text="Über Straßen und Größe", anchor="h-ueber-strassen-und-groesse"),
    )
    assert 'id="h-ueber-strassen-und-groesse"' in rendered.html


def test_repeated_headings_get_numbered_anchors():
    rendered = render_markdown("## Kosten\n## Kosten\n## Kosten\n## Kosten 2")
    assert [h.anchor for h in rendered.headings] == [
        "h-kosten",
        "h-kosten-2",
        "h-kosten-3",
        "h-kosten-2-2",
    ]


def test_a_heading_without_letters_or_digits_still_gets_an_anchor():
    rendered = render_markdown("## ???\n## !!!")
    assert [h.anchor for h in rendered.headings] == ["h-section", "h-section-2"]


def test_heading_text_drops_markup_but_keeps_the_words():
    rendered = render_markdown("### **Fett**, `Code` und [ein Link](https://tribune.invalid)")
    assert rendered.headings[0].text == "Fett, Code und ein Link"
    assert rendered.headings[0].anchor == "h-fett-code-und-ein-link"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Über Straßen", "ueber-strassen"),
        ("GROSSE ÄRA", "grosse-aera"),
        ("Café crème à la française", "cafe-creme-a-la-francaise"),
        ("Don't panic", "dont-panic"),
        ("  Wahl 2025: Ergebnisse!  ", "wahl-2025-ergebnisse"),
        ("Привет, мир", "привет-мир"),
        ("snake_case", "snake-case"),
        ("", "section"),
    ],
)
def test_slugify_is_predictable(text, slug):
    assert slugify(text) == slug


def test_slugify_caps_very_long_headings():
    assert len(slugify("Wort " * 100)) <= 80
    assert not slugify("Wort " * 100).endswith("-")


def test_lists_quotes_code_and_rules_render_as_html():
    rendered = render_markdown(
        "- eins\n- zwei\n\n3. drei\n4. vier\n\n> Ein Zitat\n\n---\n\n"
        "```python\nif a < b:\n    pass\n```\n\nText mit `x < y` und ~~alt~~ *neu*  \nZeile"
    )
    assert "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>" in rendered.html
    assert '<ol start="3">\n<li>drei</li>' in rendered.html
    assert "<blockquote>\n<p>Ein Zitat</p>\n</blockquote>" in rendered.html
    assert "<hr>" in rendered.html
    assert "<pre><code>if a &lt; b:\n    pass\n</code></pre>" in rendered.html
    assert "<code>x &lt; y</code> und <del>alt</del> <em>neu</em><br>\nZeile" in rendered.html


def test_tables_render_with_alignment_but_without_style():
    rendered = render_markdown("| Partei | Stimmen |\n|:--|--:|\n| A | 1.200 |")
    assert '<th align="left">Partei</th>' in rendered.html
    assert '<td align="right">1.200</td>' in rendered.html
    assert "style" not in rendered.html


def test_links_keep_href_and_title_and_get_the_ugc_rel():
    rendered = render_markdown(
        '[Quelle](https://tribune.invalid/a "Die Quelle") und [Mail](mailto:r@tribune.invalid)'
    )
    assert (
        '<a href="https://tribune.invalid/a" title="Die Quelle" rel="nofollow ugc noopener">'
        "Quelle</a>"
    ) in rendered.html
    assert 'href="mailto:r@tribune.invalid"' in rendered.html


def test_reference_links_and_autolinks_work():
    rendered = render_markdown(
        "[Bericht][b] und <https://tribune.invalid/x>\n\n[b]: https://tribune.invalid/b"
    )
    assert 'href="https://tribune.invalid/b"' in rendered.html
    assert 'href="https://tribune.invalid/x"' in rendered.html


def test_images_with_https_urls_render_with_alt_and_title():
    rendered = render_markdown('![Rathaus bei Nacht](https://tribune.invalid/r.jpg "Foto: Leser")')
    assert (
        '<img src="https://tribune.invalid/r.jpg" alt="Rathaus bei Nacht" title="Foto: Leser">'
    ) in rendered.html


def test_text_has_headings_paragraphs_items_quotes_cells_and_alt_text():
    rendered = render_markdown(
        "# Wahlabend\n\nDie **Ergebnisse** sind da.\n\n- Partei A\n\n> Ein Zitat\n\n"
        "| Kopf |\n|---|\n| Zelle |\n\n![Jubel im Saal](https://tribune.invalid/j.jpg)"
    )
    assert rendered.text.split("\n") == [
        "Wahlabend",
        "Die Ergebnisse sind da.",
        "Partei A",
        "Ein Zitat",
        "Kopf",
        "Zelle",
        "Jubel im Saal",
    ]


def test_text_has_no_urls_tags_or_code_blocks():
    rendered = render_markdown(
        "Siehe [Bericht](https://tribune.invalid/bericht) und <https://tribune.invalid/x>.\n\n"
        "![Bild](https://tribune.invalid/b.png)\n\n```\nprint('code')\n```"
    )
    assert "tribune.invalid" not in rendered.text
    assert "<" not in rendered.text
    assert "print" not in rendered.text
    assert rendered.text == "Siehe Bericht und .\nBild"


def test_rendered_output_is_immutable():
    rendered = render_markdown("## A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rendered.html = "<script></script>"  # type: ignore[misc]  # the point of the test
    assert isinstance(rendered.headings, tuple)


def test_sanitizing_rendered_html_again_changes_nothing():
    rendered = render_markdown(
        "# Über uns\n\n[a](https://tribune.invalid) ![b](/c.png)\n\n|x|\n|:-:|\n|1|"
    )
    assert sanitize_html(rendered.html) == rendered.html


def test_empty_input_renders_nothing():
    assert render_markdown("") == render_markdown("   \n") == render_markdown("\n\n")
    assert render_markdown("").html == ""
    assert render_markdown("").headings == ()


@pytest.mark.parametrize(
    "body",
    ["*" * 20000 + "a", "[" * 20000, "> " * 5000 + "x", "![" * 10000, "a" + "_a" * 20000],
    ids=["stars", "brackets", "quotes", "images", "underscores"],
)
def test_pathological_input_renders_in_reasonable_time(body):
    started = time.monotonic()
    render_markdown(body)
    assert time.monotonic() - started < 5  # generous: ~0.3 s here, the point is "not minutes"
