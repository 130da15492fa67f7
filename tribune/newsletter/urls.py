app_name = "newsletter"

# Routes under the language prefix (/en/..., /de/...).
urlpatterns: list = []
