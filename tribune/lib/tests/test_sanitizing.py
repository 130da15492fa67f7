"""Hostile Markdown and HTML must come out harmless (compliance.md 5.3).

The output is parsed with html5lib, independently of nh3, and checked the way a browser
would see it: which elements exist, which attributes they carry, and where URLs point.
"""

import html
import re
from urllib.parse import unquote

import html5lib
import pytest

from tribune.lib.markdown import render_markdown, sanitize_html
from tribune.lib.tests.xss_payloads import PAYLOAD_IDS, PAYLOADS

# The allow-list as the brief states it, kept apart from the module's own copy.
EXPECTED_TAGS = {
    "p", "h2", "h3", "h4", "a", "em", "strong", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "hr", "br", "img", "sup", "sub",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "style", "base", "meta", "form", "svg", "math",
    "link", "input", "button", "textarea", "select", "frame", "frameset", "applet",
    "template", "noscript", "xmp", "noembed", "isindex", "map", "area", "video", "audio",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
# Whitespace, C0/C1 controls, and the invisible characters browsers or mail clients may drop.
_INVISIBLE = re.compile(r"[\s\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def scheme_of(url: str) -> str:
    match = _SCHEME.match(_INVISIBLE.sub("", url))
    return match.group(1).lower() if match else ""


def assert_safe_url(value: str) -> None:
    decoded = html.unescape(value)  # html5lib decoded once already; catch double encoding
    for candidate in (decoded, unquote(decoded), unquote(unquote(decoded))):
        scheme = scheme_of(candidate)
        assert scheme in SAFE_SCHEMES or scheme == "", f"unsafe URL {value!r}"


def assert_harmless(fragment: str) -> None:
    root = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    for element in root.iter():
        if element is root:
            continue
        assert isinstance(element.tag, str), f"a comment survived in {fragment!r}"
        tag = element.tag.rpartition("}")[2].lower()
        assert tag not in FORBIDDEN_TAGS, f"<{tag}> survived in {fragment!r}"
        assert tag in EXPECTED_TAGS, f"<{tag}> is not on the allow-list: {fragment!r}"
        for name, value in element.attrib.items():
            attribute = name.rpartition("}")[2].lower()
            assert not attribute.startswith("on"), f"{attribute} survived in {fragment!r}"
            assert attribute != "style", f"style survived in {fragment!r}"
            if attribute in {"href", "src"}:
                assert_safe_url(value)


def bodies_with_target(payload: str) -> list[str]:
    return [
        f"[Quelle]({payload})",
        f"[Quelle](<{payload}>)",
        f"![Bild]({payload})",
        f"[Quelle][ref]\n\n[ref]: {payload}",
        f"<{payload}>",
        f"[![Bild]({payload})]({payload})",
    ]


def test_the_corpus_has_at_least_80_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 80


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_a_payload_as_the_whole_body_renders_harmless_html(payload):
    assert_harmless(render_markdown(payload).html)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_a_payload_as_a_link_or_image_target_renders_harmless_html(payload):
    for body in bodies_with_target(payload):
        assert_harmless(render_markdown(body).html)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_a_payload_given_to_the_sanitizer_as_raw_html_comes_out_harmless(payload):
    assert_harmless(sanitize_html(payload))


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_a_payload_inside_raw_anchor_and_image_attributes_comes_out_harmless(payload):
    quoted = payload.replace('"', "&quot;")
    assert_harmless(sanitize_html(f'<a href="{quoted}">x</a><img src="{quoted}" alt="x">'))


def test_raw_html_in_markdown_is_shown_as_text_not_markup():
    rendered = render_markdown('<b onclick="alert(1)">fett</b>')
    assert rendered.html == '<p>&lt;b onclick="alert(1)"&gt;fett&lt;/b&gt;</p>\n'


def test_a_link_whose_url_decodes_to_a_script_scheme_becomes_its_text():
    for target in ("java%0Ascript:alert(1)", "javascript%3Aalert(1)", "&#x6A;avascript:x"):
        rendered = render_markdown(f"[Quelle]({target})")
        assert "<a" not in rendered.html
        assert "Quelle" in rendered.html


def test_a_link_with_a_scheme_outside_the_allow_list_becomes_its_text():
    rendered = render_markdown("[Anrufen](tel:+4930123) und [Chat](irc://tribune.invalid)")
    assert rendered.html == "<p>Anrufen und Chat</p>\n"


def test_an_image_needs_an_http_or_https_url_or_becomes_its_alt_text():
    rendered = render_markdown(
        "![Mail](mailto:a@tribune.invalid) ![Pixel](data:image/png;base64,AAAA) "
        "![Schema](ftp://tribune.invalid/a.png)"
    )
    assert rendered.html == "<p>Mail Pixel Schema</p>\n"


def test_relative_and_fragment_urls_are_kept():
    rendered = render_markdown("[Archiv](/archiv/) [Oben](#h-titel) ![Karte](/media/karte.png)")
    assert 'href="/archiv/"' in rendered.html
    assert 'href="#h-titel"' in rendered.html
    assert 'src="/media/karte.png"' in rendered.html


def test_user_written_ids_are_prefixed_so_they_cannot_clash_with_page_chrome():
    assert sanitize_html('<h2 id="main">Titel</h2>') == '<h2 id="h-main">Titel</h2>'
    assert sanitize_html('<p id="csrf_token" name="config">x</p>') == "<p>x</p>"


def test_the_sanitizer_holds_raw_html_to_the_same_url_rule_as_markdown():
    cleaned = sanitize_html(
        '<a href="java%0Ascript:alert(1)">a</a><a href="tel:+4930">b</a>'
        '<img src="mailto:a@tribune.invalid" alt="c"><img src="https://tribune.invalid/d.png">'
    )
    assert cleaned == (
        '<a rel="nofollow ugc noopener">a</a><a rel="nofollow ugc noopener">b</a>'
        '<img alt="c"><img src="https://tribune.invalid/d.png">'
    )


def test_the_sanitizer_removes_script_and_style_with_their_content():
    assert sanitize_html("<p>a<script>alert(1)</script><style>p{}</style>b</p>") == "<p>ab</p>"


def test_the_sanitizer_strips_comments_and_unknown_tags_but_keeps_their_text():
    assert sanitize_html("<p><!-- geheim -->Hallo <blink>Welt</blink></p>") == "<p>Hallo Welt</p>"


def test_table_alignment_accepts_only_left_center_and_right():
    cleaned = sanitize_html(
        '<table><tbody><tr><td align="right">1</td><td align="javascript:x">2</td>'
        "</tr></tbody></table>"
    )
    assert '<td align="right">1</td><td>2</td>' in cleaned


def test_links_always_get_the_nofollow_ugc_noopener_rel_and_lose_target():
    cleaned = sanitize_html('<a href="https://tribune.invalid" target="_blank" rel="me">x</a>')
    assert cleaned == '<a href="https://tribune.invalid" rel="nofollow ugc noopener">x</a>'


def test_template_lookalikes_stay_literal_text():
    assert render_markdown("{{ 7*7 }} {% debug %}").html == "<p>{{ 7*7 }} {% debug %}</p>\n"
