from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "tribune.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from anymail.signals import tracking

        from tribune.newsletter.webhooks import on_tracking

        # Providers' bounce and complaint webhooks (esp_urls.py) reach the actions here.
        tracking.connect(on_tracking, dispatch_uid="tribune.newsletter.on_tracking")
