from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("articles/<slug:slug>/"), views.article, name="article"),
    path(_("topics/<slug:slug>/"), views.topic, name="topic"),
    path(_("authors/<slug:slug>/"), views.author, name="author"),
]
