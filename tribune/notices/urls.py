app_name = "notices"

# Routes under the language prefix (/en/..., /de/...).
urlpatterns: list = []
