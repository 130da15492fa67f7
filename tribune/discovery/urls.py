from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from tribune.discovery import views as feed_views
from tribune.discovery import views_search
from tribune.discovery.feeds import FeedFormat

register_converter(FeedFormat, "feedformat")

app_name = "discovery"

# Routes under the language prefix (/en/..., /de/...): search page, feeds per language.
urlpatterns: list = [
    path(_("search/"), views_search.search_page, name="search"),
    # Feeds: /en/feeds/rss.xml, atom.xml, feed.json (the fmt argument is rss, atom or json).
    path("feeds/", feed_views.feed_list, name="feeds"),
    path("feeds/<feedformat:fmt>", feed_views.language_feed, name="feed"),
    path("feeds/all/<feedformat:fmt>", feed_views.site_feed, name="site_feed"),
    path("feeds/topics/<slug:slug>/<feedformat:fmt>", feed_views.topic_feed, name="topic_feed"),
    path("feeds/authors/<slug:slug>/<feedformat:fmt>", feed_views.author_feed, name="author_feed"),
]
