from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.TRIBUNE_SITE_NAME,
        "base_url": settings.TRIBUNE_BASE_URL,
        "legal_email": settings.TRIBUNE_LEGAL_EMAIL,
        "contact_email": settings.TRIBUNE_CONTACT_EMAIL,
        "operator_name": settings.TRIBUNE_OPERATOR_NAME,
        "operator_address": settings.TRIBUNE_OPERATOR_ADDRESS,
    }
