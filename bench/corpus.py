"""A generator of news-like articles with topic labels, shared by the benchmarks.

Topics OVERLAP in vocabulary, as real news does: "energy" belongs to climate, business,
technology and transport; "prices" to business, housing, food and energy; "study" to
health, science and education. Each topic has a few core words and many words it shares
with two or three others; every article also draws on a general news vocabulary and on a
second topic, and a share of its words comes from any topic at all. Word frequencies follow
a Zipf-like curve. A third of the articles are German, with German vocabulary (inflected
forms included, so stemming matters). The result is deterministic for a given seed.

Used by `bench/discovery.py` (related articles, search) and `bench/checks.py` (the checks;
`near_copy()` makes its planted near-copies): `generate()` yields plain `GeneratedArticle`
records; `insert()` writes them into the database in bulk (articles, rendered revisions,
topics), which is what a benchmark needs and not how the product creates articles (that
is `tribune.articles.actions`).
"""

from __future__ import annotations

import datetime
import html
import itertools
import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# topic slug -> (English core words, German core words)
CORE: dict[str, tuple[str, str]] = {
    "politics": (
        "parliament coalition minister election ballot opposition chancellor senate "
        "referendum lawmakers campaign governor mayor",
        "parlament koalition minister wahl stimmzettel opposition kanzler senat "
        "volksentscheid abgeordnete wahlkampf bürgermeister landtag",
    ),
    "business": (
        "shares investors profit revenue startup merger bank dividend quarterly "
        "shareholders retail exports",
        "aktien anleger gewinn umsatz startup fusion bank dividende quartal "
        "aktionäre einzelhandel exporte",
    ),
    "technology": (
        "software smartphone algorithm chip cloud startup encryption robot "
        "developers browser semiconductor app",
        "software smartphone algorithmus chip cloud verschlüsselung roboter "
        "entwickler browser halbleiter app programm",
    ),
    "climate": (
        "emissions carbon warming glacier drought heatwave wildfire methane "
        "flooding sea biodiversity",
        "emissionen kohlendioxid erwärmung gletscher dürre hitzewelle waldbrand "
        "methan hochwasser meeresspiegel artenvielfalt",
    ),
    "health": (
        "patients hospital vaccine doctors nurses clinic infection cancer "
        "pharmacy surgery diagnosis",
        "patienten krankenhaus impfstoff ärzte pflegekräfte klinik infektion krebs "
        "apotheke operation diagnose",
    ),
    "science": (
        "researchers telescope physics molecule laboratory experiment species "
        "genome astronomers particle fossil",
        "forscher teleskop physik molekül labor experiment spezies genom "
        "astronomen teilchen fossil",
    ),
    "sport": (
        "match goal league coach tournament stadium striker championship season referee olympic",
        "spiel tor liga trainer turnier stadion stürmer meisterschaft saison "
        "schiedsrichter olympia",
    ),
    "culture": (
        "museum exhibition film novel theatre festival painter orchestra gallery concert director",
        "museum ausstellung film roman theater festival maler orchester galerie konzert regisseur",
    ),
    "education": (
        "pupils teachers school university students curriculum classroom exam "
        "lecture kindergarten degree",
        "schüler lehrer schule universität studierende lehrplan klassenzimmer "
        "prüfung vorlesung kindergarten abschluss",
    ),
    "transport": (
        "train railway passengers airport motorway bus tram cyclists timetable station freight",
        "zug bahn fahrgäste flughafen autobahn bus straßenbahn radfahrer fahrplan "
        "bahnhof güterverkehr",
    ),
    "housing": (
        "rent tenants landlord apartment mortgage construction flats homeowners "
        "eviction neighbourhood",
        "miete mieter vermieter wohnung hypothek neubau wohnungen eigentümer räumung nachbarschaft",
    ),
    "food": (
        "restaurant farmers harvest recipe bakery organic wine supermarket chef vegetables dairy",
        "restaurant landwirte ernte rezept bäckerei bio wein supermarkt koch gemüse molkerei",
    ),
}

# Words that belong to several topics at once: (English, German, topics).
SHARED: list[tuple[str, str, tuple[str, ...]]] = [
    ("energy", "energie", ("climate", "business", "technology", "transport")),
    ("prices", "preise", ("business", "housing", "food", "transport")),
    ("study", "studie", ("health", "science", "education")),
    ("budget", "haushalt", ("politics", "education", "health", "culture")),
    ("data", "daten", ("technology", "science", "health")),
    ("government", "regierung", ("politics", "housing", "climate", "education")),
    ("workers", "beschäftigte", ("business", "health", "transport")),
    ("electric", "elektrisch", ("transport", "technology", "climate")),
    ("funding", "förderung", ("science", "culture", "education", "sport")),
    ("market", "markt", ("business", "housing", "food")),
    ("water", "wasser", ("climate", "food", "health")),
    ("research", "forschung", ("science", "health", "climate", "technology")),
    ("city", "stadt", ("housing", "transport", "culture", "politics")),
    ("law", "gesetz", ("politics", "housing", "technology")),
    ("tickets", "tickets", ("sport", "culture", "transport")),
    ("young", "jugendliche", ("education", "sport", "culture")),
    ("strike", "streik", ("transport", "business", "education")),
    ("crops", "pflanzen", ("food", "climate", "science")),
    ("fans", "fans", ("sport", "culture")),
    ("tax", "steuer", ("politics", "business", "housing")),
    ("network", "netz", ("technology", "transport", "business")),
    ("heat", "wärme", ("climate", "housing", "technology")),
    ("diet", "ernährung", ("food", "health", "science")),
    ("training", "ausbildung", ("education", "sport", "health")),
    ("stage", "bühne", ("culture", "politics")),
    ("plastic", "plastik", ("climate", "food", "science")),
    ("security", "sicherheit", ("technology", "politics", "transport")),
    ("costs", "kosten", ("housing", "health", "business", "transport")),
    ("record", "rekord", ("sport", "climate", "business")),
    ("reform", "reform", ("politics", "education", "health")),
    ("digital", "digital", ("technology", "education", "culture")),
    ("land", "boden", ("food", "housing", "climate")),
    ("vote", "abstimmung", ("politics", "sport", "culture")),
    ("laboratory", "labor", ("science", "health")),
    ("growth", "wachstum", ("business", "food", "science")),
]

GENERAL = {
    "en": (
        "people report week month today local region country plan officials public "
        "problem change question number group years local community council official "
        "decision figures support pressure future experts interview statement morning "
        "evening government national european international average percent million "
        "thousands increase decline warning response critics supporters agreement debate "
        "meeting proposal announced explained described confirmed expected reported "
        "according important difficult possible small large early recent"
    ),
    "de": (
        "menschen bericht woche monat heute region land plan behörden öffentlichkeit "
        "problem wandel frage zahl gruppe gemeinde rat entscheidung zahlen unterstützung "
        "druck zukunft fachleute gespräch erklärung morgen abend national europäisch "
        "international durchschnitt prozent millionen tausende anstieg rückgang warnung "
        "antwort kritiker befürworter einigung debatte treffen vorschlag kündigte erklärte "
        "beschrieb bestätigte erwartet berichtete wichtig schwierig möglich klein groß "
        "früh neulich"
    ),
}

FILLER = {
    "en": [
        "the",
        "a",
        "of",
        "in",
        "and",
        "to",
        "for",
        "on",
        "with",
        "at",
        "by",
        "as",
        "from",
        "that",
        "is",
        "was",
    ],
    "de": [
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "und",
        "in",
        "für",
        "mit",
        "auf",
        "von",
        "zu",
        "im",
        "ist",
        "war",
        "dass",
    ],
}

# Inflections the generator uses now and then, so that stemming has work to do.
_SUFFIX = {"en": ("s", "ing", "ed"), "de": ("en", "e", "er", "es")}

TOPICS = list(CORE)


@dataclass
class GeneratedArticle:
    """One generated article. `topic` is the label benchmarks judge by; `topics` the slugs
    attached to the article (sometimes none, sometimes also a second topic)."""

    title: str
    summary: str
    body: str
    language: str
    topic: str
    topics: list[str]
    published_at: datetime.datetime
    slug: str = ""
    meta: dict = field(default_factory=dict)


def topic_words(topic: str, language: str) -> list[str]:
    """A topic's words in one language: its core words and every shared word it has."""
    english, german = CORE[topic]
    core = (english if language == "en" else german).split()
    shared = [en if language == "en" else de for en, de, topics in SHARED if topic in topics]
    return core + shared


def vocabulary_overlap(language: str = "en") -> float:
    """Share of the words of an average topic that other topics use too."""
    owners: dict[str, set[str]] = {}
    for topic in TOPICS:
        for word in topic_words(topic, language):
            owners.setdefault(word, set()).add(topic)
    shares = [
        sum(len(owners[w]) > 1 for w in topic_words(t, language)) / len(topic_words(t, language))
        for t in TOPICS
    ]
    return round(sum(shares) / len(shares), 3)


class _Picker:
    """Zipf-like draws from a word list: the first words are the most frequent."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.weights = list(itertools.accumulate(1 / (rank + 1.5) for rank in range(len(words))))
        self.rng = rng

    def pick(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.weights)[0]


class Generator:
    """Deterministic article generator (same seed, same articles)."""

    # Where an article's content words come from.
    MIX = (("general", 0.35), ("topic", 0.40), ("second", 0.15), ("any", 0.10))

    def __init__(self, seed: int = 1, german_share: float = 1 / 3) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible text, not secrets
        self.german_share = german_share
        self.pickers: dict[tuple[str, str], _Picker] = {}
        for language in ("en", "de"):
            self.pickers["general", language] = _Picker(GENERAL[language].split(), self.rng)
            for topic in TOPICS:
                words = topic_words(topic, language)
                self.rng.shuffle(words)  # which words are frequent differs per topic
                self.pickers[topic, language] = _Picker(words, self.rng)
        self.start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)

    def _word(self, language: str, topic: str, second: str) -> str:
        source = self.rng.choices(
            [m for m, _w in self.MIX],
            cum_weights=list(itertools.accumulate(w for _m, w in self.MIX)),
        )[0]
        key = {
            "general": ("general", language),
            "topic": (topic, language),
            "second": (second, language),
            "any": (self.rng.choice(TOPICS), language),
        }[source]
        word = self.pickers[key].pick()
        if self.rng.random() < 0.15 and not word.endswith(("s", "ed", "ing", "e", "en", "er")):
            word += self.rng.choice(_SUFFIX[language])
        return word

    def _sentence(self, language: str, topic: str, second: str, length: int) -> str:
        words = []
        for _n in range(length):
            if self.rng.random() < 0.4:
                words.append(self.rng.choice(FILLER[language]))
            words.append(self._word(language, topic, second))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def article(
        self, n: int, topic: str | None = None, language: str | None = None
    ) -> GeneratedArticle:
        rng = self.rng
        language = language or ("de" if rng.random() < self.german_share else "en")
        topic = topic or rng.choice(TOPICS)
        second = rng.choice([t for t in TOPICS if t != topic])
        title = self._sentence(language, topic, second, rng.randint(4, 7))[:-1]
        summary = " ".join(
            self._sentence(language, topic, second, rng.randint(8, 14)) for _ in range(2)
        )
        paragraphs = []
        for p in range(rng.randint(6, 11)):
            if p and p % 3 == 0:
                paragraphs.append("## " + self._sentence(language, topic, second, 3)[:-1])
            paragraphs.append(
                " ".join(
                    self._sentence(language, topic, second, rng.randint(7, 14))
                    for _ in range(rng.randint(3, 5))
                )
            )
        attached = [topic] if rng.random() < 0.8 else []
        if rng.random() < 0.3:
            attached.append(second)
        return GeneratedArticle(
            title=title,
            summary=summary,
            body="\n\n".join(paragraphs),
            language=language,
            topic=topic,
            topics=attached,
            published_at=self.start + datetime.timedelta(minutes=rng.randint(0, 700 * 24 * 60)),
            slug=f"generated-{n}",
        )

    def articles(self, count: int, first: int = 0) -> Iterator[GeneratedArticle]:
        for n in range(first, first + count):
            yield self.article(n)


# Lines a copier adds around a copied text (the copies' "boilerplate").
BOILERPLATE = {
    "en": [
        "Editor's note: this story was sent to us by a reader and checked before publication.",
        "Follow us for more local news every morning, and share this story with your friends.",
        "Our newsletter brings the most important stories of the week to your inbox for free.",
    ],
    "de": [
        "Hinweis der Redaktion: Diesen Text hat uns ein Leser geschickt, wir haben ihn geprüft.",
        "Folgen Sie uns für mehr Nachrichten aus der Region und teilen Sie diesen Artikel gern.",
        "Unser Newsletter bringt Ihnen die wichtigsten Meldungen der Woche kostenlos ins Postfach.",
    ],
}


def near_copy(
    original: GeneratedArticle,
    rng: random.Random,
    *,
    replace: float = 0.2,
    split_share: float = 0.3,
    merge_share: float = 0.2,
    boilerplate: bool = True,
) -> GeneratedArticle:
    """A reworded copy of `original`, as a copier makes one: `replace` of its words swapped
    for other words of the same language and topic, some sentences split in two and some
    merged, the paragraphs shuffled, boilerplate added before and after. The title is
    reworded the same way. `meta["copy_of"]` is left for the caller to fill in."""
    language, topic = original.language, original.topic
    pool = topic_words(topic, language) + GENERAL[language].split()

    def reword(text: str) -> str:
        out = []
        for word in text.split(" "):
            if word and rng.random() < replace:
                new = rng.choice(pool)
                new = new.capitalize() if word[0].isupper() else new
                out.append(new + word[len(word.rstrip(".,")) :])  # keep the full stop
            else:
                out.append(word)
        return " ".join(out)

    def restructure(paragraph: str) -> str:
        sentences = [s.strip() for s in paragraph.split(". ") if s.strip()]
        result: list[str] = []
        for sentence in sentences:
            words = sentence.rstrip(".").split(" ")
            if len(words) > 8 and rng.random() < split_share:
                cut = rng.randint(3, len(words) - 3)
                second = " ".join(words[cut:])
                result += [" ".join(words[:cut]), second[0].upper() + second[1:]]
            elif result and rng.random() < merge_share:
                result[-1] += ", " + words[0].lower() + (" " + " ".join(words[1:]))
            else:
                result.append(" ".join(words))
        return " ".join(s + "." for s in result)

    paragraphs = [
        p if p.startswith("## ") else restructure(reword(p)) for p in original.body.split("\n\n")
    ]
    rng.shuffle(paragraphs)
    if boilerplate:
        lines = BOILERPLATE[language]
        paragraphs = [rng.choice(lines), *paragraphs, rng.choice(lines)]
    return GeneratedArticle(
        title=reword(original.title),
        summary=reword(original.summary),
        body="\n\n".join(paragraphs),
        language=language,
        topic=topic,
        topics=list(original.topics),
        published_at=original.published_at,
        slug=original.slug + "-copy",
        meta={"copy_of": None},
    )


def generate(count: int, seed: int = 1) -> list[GeneratedArticle]:
    """`count` articles from a generator with this seed."""
    return list(Generator(seed).articles(count))


def simple_html(markdown: str) -> tuple[str, list[list]]:
    """HTML and headings of generated Markdown, which has only paragraphs and ## headings."""
    parts, headings = [], []
    for n, block in enumerate(markdown.split("\n\n")):
        if block.startswith("## "):
            text = block[3:]
            anchor = f"section-{n}"
            headings.append([2, text, anchor])
            parts.append(f'<h2 id="{anchor}">{html.escape(text)}</h2>')
        else:
            parts.append(f"<p>{html.escape(block)}</p>")
    return "\n".join(parts), headings


def insert(
    articles: Iterable[GeneratedArticle], *, published: bool = True, batch: int = 2000
) -> list[int]:
    """Write generated articles in bulk, with rendered revisions and topics; returns the ids.

    A benchmark shortcut: no audit entries, no tasks. Needs Django set up and migrated.
    """
    from django.db import connection, transaction

    from tribune.accounts.actions import create_author
    from tribune.articles.actions import save_topic
    from tribune.articles.models import Article, Revision, Status, Topic
    from tribune.lib.readingtime import count_words

    topics = {t.slug: t for t in Topic.objects.filter(slug__in=TOPICS)}
    for slug in TOPICS:
        if slug not in topics:
            topics[slug] = save_topic(None, Topic(slug=slug, name=slug.title()))
    authors = [
        create_author(
            None, username=f"bench-{uuid.uuid4().hex[:10]}", display_name=f"Writer {n}"
        ).user
        for n in range(5)
    ]
    through = Article.topics.through
    ids: list[int] = []
    pending = list(articles)
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        with transaction.atomic():
            made = Article.objects.bulk_create(
                Article(
                    slug=g.slug or f"generated-{uuid.uuid4().hex[:12]}",
                    language=g.language,
                    author=authors[n % len(authors)],
                    status=Status.PUBLISHED if published else Status.DRAFT,
                    published_at=g.published_at if published else None,
                )
                for n, g in enumerate(chunk)
            )
            revisions = []
            for article, g in zip(made, chunk, strict=True):
                body_html, headings = simple_html(g.body)
                revisions.append(
                    Revision(
                        article=article,
                        number=1,
                        title=g.title,
                        summary=g.summary,
                        body=g.body,
                        body_html=body_html,
                        headings=headings,
                        word_count=count_words(g.title) + count_words(g.body),
                    )
                )
            Revision.objects.bulk_create(revisions)
            through.objects.bulk_create(
                through(article_id=article.pk, topic_id=topics[slug].pk)
                for article, g in zip(made, chunk, strict=True)
                for slug in g.topics
            )
            ids += [a.pk for a in made]
            article_table, revision_table = Article._meta.db_table, Revision._meta.db_table
            revision = (
                f"(SELECT r.id FROM {revision_table} r WHERE r.article_id = {article_table}.id)"  # noqa: S608 - table names from the models
            )
            placeholders = ", ".join(["%s"] * len(made))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {article_table} SET latest_revision_id = {revision}, "  # noqa: S608 - table names from the models
                    f"live_revision_id = {revision if published else 'NULL'} "
                    f"WHERE id IN ({placeholders})",
                    [a.pk for a in made],
                )
    return ids
