import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from tribune.articles import actions
from tribune.discovery import related
from tribune.discovery.backends.related_text import words
from tribune.discovery.models import RelatedArticle, RelatedDocument
from tribune.testing import factories

pytestmark = pytest.mark.django_db

SIGNED_IN_LOOKING = {"HTTP_COOKIE": "sessionid=none"}

TRAINS = (
    "Night trains return to the rails. Sleeper carriages, couchettes and railway timetables "
    "connect cities overnight; passengers book cabins, conductors check tickets and the "
    "locomotive pulls the carriages across the border before breakfast."
)
COOKING = (
    "Slow cooking with lentils, onions and garlic. The recipe simmers beans in a heavy pot; "
    "season with cumin, pepper and lemon, then serve the stew with bread and yoghurt."
)
GARDENS = (
    "Community gardens grow tomatoes, courgettes and herbs. Volunteers compost leaves, "
    "water the seedlings and share the harvest of beans and squash with neighbours."
)


def headlines(html: str) -> list[str]:
    block = re.search(r'<aside class="related".*?</aside>', html, re.S)
    if block is None:
        return []
    return re.findall(r'class="related-link" href="[^"]+">([^<]+)</a>', block.group(0))


def page(client, article) -> str:
    return client.get(article.get_absolute_url(), **SIGNED_IN_LOOKING).content.decode()


def story(title: str, text: str, committed, **kwargs):
    with committed():
        return factories.article(title=title, body=text, summary="", **kwargs)


def test_article_page_suggests_articles_about_the_same_subject(client, committed):
    source = story("Night trains are back", TRAINS, committed)
    story("Sleeper trains cross borders", TRAINS.replace("Night", "Sleeper"), committed)
    story("Railway timetables for night trains", TRAINS + " Timetables change.", committed)
    story("A lentil stew", COOKING, committed)
    story("Gardens in the city", GARDENS, committed)

    shown = headlines(page(client, source))

    assert shown[:2] == ["Railway timetables for night trains", "Sleeper trains cross borders"] or (
        shown[:2] == ["Sleeper trains cross borders", "Railway timetables for night trains"]
    )
    assert "Night trains are back" not in shown
    assert "A lentil stew" not in shown[:2]


def test_related_entries_show_headline_link_and_reading_time(client, committed):
    source = story("Night trains are back", TRAINS, committed)
    other = story("Sleeper trains cross borders", TRAINS, committed)

    html = page(client, source)

    assert "You might also like" in html
    assert f'<a class="related-link" href="{other.get_absolute_url()}">' in html
    assert '<span class="reading-time">1 min read</span>' in html


def test_articles_in_the_same_language_come_first(client, committed):
    source = story("Night trains are back", TRAINS, committed)
    # The German one shares names and stems, the English one shares the subject.
    story("Nachtzüge: trains, railway, couchettes", TRAINS, committed, language="de")
    story("Railway timetables", "Railway timetables and sleeper cabins for passengers.", committed)

    shown = headlines(page(client, source))

    assert shown.index("Railway timetables") < shown.index("Nachtzüge: trains, railway, couchettes")


def test_translations_and_drafts_are_never_suggested(client, committed):
    source = story("Night trains are back", TRAINS, committed)
    story("Nachtzüge sind zurück", TRAINS, committed, language="de", translation_of=source)
    story("A draft about sleeper trains", TRAINS, committed, published=False)
    story("Sleeper trains cross borders", TRAINS, committed)

    shown = headlines(page(client, source))

    assert shown == ["Sleeper trains cross borders"]


def test_an_unpublished_article_vanishes_from_every_list_at_once(client, committed):
    first = story("Night trains are back", TRAINS, committed)
    second = story("Sleeper trains cross borders", TRAINS, committed)
    leaving = story("Couchettes to Vienna", TRAINS, committed)
    assert "Couchettes to Vienna" in headlines(page(client, first))

    # Before any task has run: the stored lists still name it, the pages do not.
    actions.unpublish_article(None, leaving)
    assert RelatedArticle.objects.filter(related=leaving).exists()
    assert "Couchettes to Vienna" not in headlines(page(client, first))
    assert "Couchettes to Vienna" not in headlines(page(client, second))


def test_unpublishing_recomputes_the_lists_that_named_the_article(committed):
    first = story("Night trains are back", TRAINS, committed)
    leaving = story("Couchettes to Vienna", TRAINS, committed)

    with committed():
        actions.unpublish_article(None, leaving)

    assert not RelatedArticle.objects.filter(related=leaving).exists()
    assert not RelatedArticle.objects.filter(article=leaving).exists()
    assert not RelatedDocument.objects.filter(article=leaving).exists()
    assert related.engine().similar(first.pk, 5) == []


def test_a_new_article_enters_the_lists_of_articles_it_resembles(client, committed):
    topic = factories.topic("food", en="Food")
    stew = story("A lentil stew", COOKING, committed, topics=(topic,))
    story("Gardens in the city", GARDENS, committed)
    assert "Beans and lentils in one pot" not in headlines(page(client, stew))

    story("Beans and lentils in one pot", COOKING + " Add beans.", committed)

    assert headlines(page(client, stew))[0] == "Beans and lentils in one pot"


def test_an_edit_moves_the_article_to_other_lists(client, committed):
    trains = story("Night trains are back", TRAINS, committed)
    stew = story("A lentil stew", COOKING, committed)
    story("Gardens in the city", GARDENS, committed)
    changing = story("Weekend ideas", COOKING, committed)
    assert "Weekend ideas" in headlines(page(client, stew))

    with committed():
        actions.revise_article(None, changing, title="Weekend ideas", body=TRAINS)
        actions.publish_article(None, changing)

    assert headlines(page(client, trains))[0] == "Weekend ideas"
    assert "Weekend ideas" not in headlines(page(client, stew))


def test_shared_topics_raise_an_article_among_equally_alike_ones(committed):
    rail = factories.topic("rail", en="Rail")
    source = story("Night trains are back", TRAINS, committed, topics=(rail,))
    plain = story("Sleeper trains", TRAINS, committed)
    tagged = story("Sleeper trains again", TRAINS, committed, topics=(rail,))

    ranked = [pk for pk, _score in related.compute_related(source.pk)]

    assert ranked.index(tagged.pk) < ranked.index(plain.pk)


def test_the_related_block_costs_one_query_whatever_the_corpus_size(
    client, committed, django_assert_num_queries
):
    source = story("Night trains are back", TRAINS, committed)
    with django_assert_num_queries(4):  # article, topics, translations, related list
        assert headlines(page(client, source)) == []
    for n in range(8):
        story(f"Sleeper trains number {n}", TRAINS, committed)
    with django_assert_num_queries(4):
        assert len(headlines(page(client, source))) == related.MAX_SHOWN


def test_a_young_site_fills_the_list_from_the_same_topic(client, committed):
    food = factories.topic("food", en="Food")
    source = story("A lentil stew", COOKING, committed, topics=(food,))
    story("Gardens in the city", GARDENS, committed, topics=(food,))
    story("Night trains are back", TRAINS, committed, topics=(food,))

    shown = headlines(page(client, source))

    assert sorted(shown) == ["Gardens in the city", "Night trains are back"]


def test_rebuild_related_recomputes_every_list_with_a_progress_bar(committed, capsys):
    first = story("Night trains are back", TRAINS, committed)
    second = story("Sleeper trains cross borders", TRAINS, committed)
    RelatedArticle.objects.all().delete()
    RelatedDocument.objects.all().delete()

    call_command("rebuild_related")

    out, err = capsys.readouterr()
    assert "Rebuilt the related lists of 2 published articles" in out
    assert "lists [##############################] 2/2" in err
    assert list(RelatedArticle.objects.filter(article=first).values_list("related", flat=True)) == [
        second.pk
    ]


def test_rebuild_related_dry_run_changes_nothing(committed, capsys):
    story("Night trains are back", TRAINS, committed)
    RelatedArticle.objects.all().delete()

    call_command("rebuild_related", "--dry-run")

    assert "Would rebuild the related lists of 1 published articles" in capsys.readouterr().out
    assert not RelatedArticle.objects.exists()


def test_refreshing_twice_changes_nothing_the_second_time(committed):
    first = story("Night trains are back", TRAINS, committed)
    story("Sleeper trains cross borders", TRAINS, committed)

    assert related.refresh_related(first.pk) == set()


class TitleWordsEngine:
    """A second engine, as an embedding engine would plug in: alike means a shared headline word."""

    def index(self, article_id: int) -> bool:
        return related._public().filter(pk=article_id).exists()

    def remove(self, article_id: int) -> None:
        pass

    def similar(self, article_id: int, limit: int) -> list[tuple[int, float]]:
        articles = related._public().select_related("live_revision")
        mine = set(articles.get(pk=article_id).live_revision.title.lower().split())
        return [
            (a.pk, 1.0)
            for a in articles.exclude(pk=article_id)
            if mine & set(a.live_revision.title.lower().split())
        ][:limit]

    def rebuild(self, article_ids, progress=None) -> int:
        return len(list(article_ids))


def test_the_engine_is_chosen_by_a_setting(client, committed):
    related.engine.cache_clear()
    try:
        with override_settings(
            TRIBUNE_RELATED_ENGINE="tribune.discovery.tests.test_related.TitleWordsEngine"
        ):
            source = story("Zebra news", TRAINS, committed)
            story("Zebra crossings", COOKING, committed)
            story("Night trains", TRAINS, committed)
            assert headlines(page(client, source)) == ["Zebra crossings"]
    finally:
        related.engine.cache_clear()


def test_stems_join_inflected_forms_and_skip_links_and_function_words():
    assert words("de", "Verbindungen") == words("de", "Verbindung")
    assert words("en", "trains") == words("en", "train")
    assert words("en", "the [report](https://example.org/secret) and") == ["report"]


def test_the_index_keeps_count_of_its_articles_through_publications_and_removals(committed):
    # The count weighs rare words (idf); it is kept in the index, not counted per publication.
    from tribune.discovery.backends.related_tfidf import DOCUMENTS
    from tribune.discovery.models import RelatedTerm

    def kept() -> int:
        return RelatedTerm.objects.get(text=DOCUMENTS).documents

    trains = story("Night trains are back", TRAINS, committed)
    story("Lentil stew for winter", COOKING, committed)
    assert kept() == RelatedDocument.objects.count() == 2
    with committed():
        actions.unpublish_article(None, trains)
    assert kept() == RelatedDocument.objects.count() == 1
    # An index from before the count was kept counts once, at the next publication.
    RelatedTerm.objects.filter(text=DOCUMENTS).delete()
    story("Gardens in the city", GARDENS, committed)
    assert kept() == RelatedDocument.objects.count() == 2
    call_command("rebuild_related", stdout=None)
    assert kept() == RelatedDocument.objects.count() == 2
