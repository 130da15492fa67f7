from django import forms
from django.conf import settings


def per_language_fields(prefix: str, label: str, **options: object) -> dict[str, forms.Field]:
    """One form field per site language, named `<prefix>_<code>`.

    They must be declared on the form class (build it with `type(...)`), not added in
    `__init__`: the admin renders only the fields a form class declares.
    """
    widget = options.pop("widget", None)
    return {
        f"{prefix}_{code}": forms.CharField(
            label=label % {"language": name}, required=False, widget=widget, **options
        )
        for code, name in settings.LANGUAGES
    }
