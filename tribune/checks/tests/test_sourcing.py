"""The unsourced-claims check: attributions without any linked source, anonymous sources."""

from tribune.checks.base import Draft
from tribune.checks.tests.test_language import GERMAN_TRAIN, run

REVELATION = (
    "The mayor's office spent twice its budget on consultants last year. The Wall Street "
    "Journal reveals that the contracts were never put out to tender. The mayor denies "
    "any wrongdoing."
)


def test_an_article_crediting_a_newspaper_with_a_revelation_without_a_link_quotes_it():
    draft = Draft(title="Consultants cost the city millions", body=REVELATION, language="en")
    [finding] = run("sourcing", draft)
    assert finding.severity == "warning"
    assert finding.data["kind"] == "unsourced"
    [passage] = finding.passages
    assert passage.field == "body"
    assert passage.text == (
        "The Wall Street Journal reveals that the contracts were never put out to tender."
    )
    assert REVELATION[passage.start : passage.end] == passage.text


def test_the_same_article_with_a_link_has_no_unsourced_finding():
    linked = REVELATION + " [The report](https://www.wsj.com/articles/x)."
    assert run("sourcing", Draft(title="Consultants", body=linked, language="en")) == []
    sourced = Draft(
        title="Consultants",
        body=REVELATION,
        language="en",
        sources=("https://www.wsj.com/articles/x",),
    )
    assert run("sourcing", sourced) == []


def test_english_attributions_are_found_one_passage_per_sentence():
    body = (
        "According to Reuters, the talks failed. The minister told the BBC she would stay. "
        "Prices rose, as first reported by the Financial Times. Nothing else happened. "
        "The plan, according to Anna Berg, is dead."
    )
    [finding] = run("sourcing", Draft(title="Talks fail", body=body, language="en"))
    assert [p.text for p in finding.passages] == [
        "According to Reuters, the talks failed.",
        "The minister told the BBC she would stay.",
        "Prices rose, as first reported by the Financial Times.",
        "The plan, according to Anna Berg, is dead.",
    ]
    assert finding.data["sentences"] == 4


def test_german_attributions_are_found():
    body = (
        "Laut Reuters sind die Gespräche gescheitert. Wie die FAZ am Montag berichtet, will "
        "der Minister bleiben. Quellen zufolge ist der Plan tot. Dem Spiegel zufolge fehlt "
        "Geld. Die Bahn kommt. Der Sprecher sagte der Süddeutschen Zeitung, alles sei gut."
    )
    finding, anonymous = run("sourcing", Draft(title="Gespräche", body=body, language="de"))
    assert anonymous.data == {"kind": "anonymous", "count": 1}
    assert anonymous.severity == "info"
    assert [p.text for p in finding.passages] == [
        "Laut Reuters sind die Gespräche gescheitert.",
        "Wie die FAZ am Montag berichtet, will der Minister bleiben.",
        "Quellen zufolge ist der Plan tot.",
        "Dem Spiegel zufolge fehlt Geld.",
        "Der Sprecher sagte der Süddeutschen Zeitung, alles sei gut.",
    ]


def test_the_headline_counts_as_a_sentence():
    draft = Draft(title="Laut dpa tritt der Minister zurück", body=GERMAN_TRAIN, language="de")
    [finding] = run("sourcing", draft)
    assert [(p.field, p.text) for p in finding.passages] == [
        ("title", "Laut dpa tritt der Minister zurück")
    ]


def test_ordinary_text_without_attributions_has_no_finding():
    assert run("sourcing", Draft(title="Die Bahn", body=GERMAN_TRAIN, language="de")) == []


def test_operators_can_add_outlets_and_make_the_finding_blocking():
    body = "The Harbour Gazette reveals that the pier will close."
    draft = Draft(title="Pier", body=body, language="en")
    assert run("sourcing", draft) == []
    [finding] = run("sourcing", draft, extra_outlets=["The Harbour Gazette"], severity="blocking")
    assert finding.severity == "blocking"
    assert finding.passages[0].text == body


def test_anonymous_sources_are_counted_even_with_links():
    body = (
        "Sources say the deal is done, see https://example.org/deal. Insiders expect more. "
        "Aus Kreisen der Regierung hieß es, man sei zufrieden."
    )
    [finding] = run("sourcing", Draft(title="Deal", body=body, language="en"))
    assert finding.data == {"kind": "anonymous", "count": 3}
    assert finding.severity == "warning"
    assert [p.text for p in finding.passages] == ["Sources say", "Insiders", "Aus Kreisen"]
    [note] = run("sourcing", Draft(title="Deal", body=body, language="en"), anonymous_threshold=4)
    assert note.severity == "info"


def test_wie_aus_verlautet_is_an_anonymous_source():
    body = "Wie aus dem Umfeld des Ministers verlautet, ist der Plan tot. Siehe https://a.example."
    [finding] = run("sourcing", Draft(title="Plan", body=body, language="de"))
    assert finding.passages[0].text == "Wie aus dem Umfeld des Ministers verlautet"


def test_empty_junk_and_huge_bodies_do_not_break_the_check():
    assert run("sourcing", Draft(title="", body="", language="de")) == []
    junk = bytes(range(256)).decode("latin-1") * 100 + "\udcff"
    assert run("sourcing", Draft(title="x", body=junk, language="de")) == []
    huge = ("Laut Reuters ist das so. " * 50_000)[:1_000_000]
    [finding] = run("sourcing", Draft(title="x", body=huge, language="de"))
    assert finding.data["checked_chars"] < len(huge)
    assert len(finding.passages) <= 50
