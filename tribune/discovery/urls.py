from django.urls import path  # noqa: F401 - the discovery parts add their routes here

app_name = "discovery"

# Routes under the language prefix (/en/..., /de/...): search page, feeds per language.
urlpatterns: list = []
