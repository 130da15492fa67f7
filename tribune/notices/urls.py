from django.urls import path
from django.utils.translation import gettext_lazy as _

from tribune.notices import dsa_views, views

app_name = "notices"

# Routes under the language prefix (/en/..., /de/...).
urlpatterns = [
    path(_("report/"), views.report, name="report"),
    path(_("decisions/<uuid:uuid>/appeal/"), views.appeal, name="appeal"),
    path(
        _("decisions/<uuid:uuid>/appeal/<uuid:notice>/"),
        views.notifier_appeal,
        name="notifier_appeal",
    ),
    path(_("decisions/<uuid:uuid>/"), views.statement, name="statement"),
    path(_("digital-services-act/"), views.dsa, name="dsa"),
    path(_("suspensions/<uuid:uuid>/appeal/"), views.suspension_appeal, name="suspension_appeal"),
    path(_("transparency/"), views.transparency_report, name="transparency"),
    path(
        _("transparency/statements.json"),
        views.transparency_statements,
        name="transparency_statements",
    ),
    path(_("decisions/<uuid:uuid>/counter-notice/"), views.counter_notice, name="counter_notice"),
    path(_("moderation/notices/"), views.queue, name="queue"),
    path(_("moderation/notices/<uuid:uuid>/"), views.notice_detail, name="notice"),
    path(_("moderation/notices/<uuid:uuid>/decide/<uuid:article>/"), views.decide, name="decide"),
    path(_("moderation/appeals/"), views.appeals, name="appeals"),
    path(
        _("moderation/appeals/<uuid:uuid>/attachment/"),
        views.appeal_attachment,
        name="appeal_attachment",
    ),
    path(_("moderation/misuse/"), views.misuse, name="misuse"),
    path(_("moderation/misuse/<uuid:uuid>/suspend/"), views.suspend, name="suspend"),
    path(
        _("moderation/counter-notices/<uuid:uuid>/court-action/"),
        views.court_action,
        name="court_action",
    ),
    path(_("moderation/appeals/<uuid:uuid>/"), views.decide_appeal, name="decide_appeal"),
    path(
        _("moderation/notices/<uuid:uuid>/law-enforcement/<uuid:article>/"),
        dsa_views.report_crime,
        name="report_crime",
    ),
    path(_("moderation/disputes/"), dsa_views.disputes, name="disputes"),
    path(
        _("moderation/decisions/<uuid:uuid>/disputes/"),
        dsa_views.decision_disputes,
        name="decision_disputes",
    ),
    path(
        _("moderation/disputes/<uuid:uuid>/close/"), dsa_views.close_dispute, name="close_dispute"
    ),
    path(_("moderation/trusted-flaggers/"), dsa_views.trusted_flaggers, name="trusted_flaggers"),
]
