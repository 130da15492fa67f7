"""Notices (DSA art. 16, DMCA 512(c)(3)), decisions with statements of reasons (DSA art. 17)
and appeals (DSA art. 20). See docs and ../shared/reference/compliance.md sections 1 and 2.

Every state change goes through tribune.notices.actions; `received_at` is legally
significant (it marks "actual knowledge", DSA art. 16(3)) and never changes once stored.
"""

import secrets
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tribune.articles.models import Article
from tribune.notices.attachments import private_storage


class Category(models.TextChoices):
    """What the notifier alleges, with the DSA Transparency Database category beside it."""

    INTELLECTUAL_PROPERTY = "intellectual_property", _("Copyright or other intellectual property")
    DEFAMATION = "defamation", _("Defamation")
    HATE_SPEECH = "hate_speech", _("Hate speech")
    PRIVACY = "privacy", _("Privacy or personal data")
    SCAMS = "scams", _("Scams or fraud")
    MINORS = "minors", _("Protection of minors")
    GUIDELINES = "guidelines", _("Breach of our submission guidelines")
    OTHER = "other", _("Other illegal content")


# Transparency Database (API v2) `category` and `category_specification` per category.
TDB_CATEGORY: dict[str, tuple[str, list[str]]] = {
    Category.INTELLECTUAL_PROPERTY: (
        "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        ["KEYWORD_COPYRIGHT_INFRINGEMENT"],
    ),
    Category.DEFAMATION: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_DEFAMATION"]),
    Category.HATE_SPEECH: ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ["KEYWORD_HATE_SPEECH"]),
    Category.PRIVACY: ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", []),
    Category.SCAMS: ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", []),
    Category.MINORS: ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", []),
    Category.GUIDELINES: ("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", []),
    Category.OTHER: ("STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", []),
}


class NoticeState(models.TextChoices):
    RECEIVED = "received", _("Received")
    DECIDED = "decided", _("Decided")


def _reference() -> str:
    # Short enough to read out on the phone, random enough not to be guessed.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "N-" + "".join(secrets.choice(alphabet) for _i in range(10))


def _terms_version() -> str:
    return settings.TRIBUNE_TERMS_VERSION


class TrustedFlagger(models.Model):
    """An entity with trusted flagger status (DSA art. 22); its notices are handled first.

    Linked to an account: a notice counts as theirs only when sent signed in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trusted_flagger"
    )
    name = models.CharField(_("name"), max_length=200)
    dsc_country = models.CharField(_("awarded by the coordinator of"), max_length=2, blank=True)
    expertise = models.CharField(_("areas of expertise"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)

    class Meta:
        verbose_name = _("trusted flagger")
        verbose_name_plural = _("trusted flaggers")

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """One report about one or more of our articles (DSA art. 16(2))."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=16, unique=True, default=_reference, editable=False)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    explanation = models.TextField(_("explanation"))
    legal_provision = models.CharField(_("legal provision"), max_length=200, blank=True)
    passage = models.TextField(_("passage"), blank=True)
    notifier_name = models.CharField(_("name"), max_length=200, blank=True)
    notifier_email = models.EmailField(_("e-mail address"), blank=True)
    notifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices_sent",
    )
    from_trusted_flagger = models.BooleanField(_("from a trusted flagger"), default=False)
    bona_fide = models.BooleanField(_("good-faith statement"))
    # DMCA 17 U.S.C. 512(c)(3)(A), offered for copyright notices.
    dmca_work = models.TextField(_("copyrighted work"), blank=True)
    dmca_rights_holder = models.CharField(_("rights holder"), max_length=200, blank=True)
    dmca_contact = models.TextField(_("postal address and telephone"), blank=True)
    dmca_signature = models.CharField(_("signature"), max_length=200, blank=True)
    dmca_statements = models.BooleanField(_("DMCA statements"), default=False)
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=16, choices=NoticeState.choices, default="received")
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-from_trusted_flagger", "received_at", "id"]
        indexes = [
            models.Index(
                fields=["state", "-from_trusted_flagger", "received_at"], name="notice_queue"
            )
        ]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        permissions = [("decide_notice", _("Can decide notices and appeals"))]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        # Stored once; later changes are conditional UPDATEs in actions.py that never
        # name received_at.
        if self.pk is not None:
            raise ValueError("A notice is stored once; change its state through actions.py.")
        super().save(*args, **kwargs)


class NoticeItem(models.Model):
    """One reported location: an article of ours and the URL the notifier gave."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="notice_items")
    url = models.URLField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "article"], name="notice_item_once")
        ]

    def __str__(self) -> str:
        return self.url


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", _("No action")
    LABEL = "label", _("Labelled as disputed")
    RESTRICT = "restrict", _("Visibility restricted")
    REMOVE = "remove", _("Removed")


class Ground(models.TextChoices):
    ILLEGAL = "illegal", _("Illegal content")
    TERMS = "terms", _("Incompatible with our terms and guidelines")


class Decision(models.Model):
    """A moderator's decision on one article, with its statement of reasons (DSA art. 17(3)).

    The fields map to the Transparency Database (see tribune.notices.transparency)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices, blank=True)
    # 17(3)(d)/(e): the legal or contractual ground and why the content falls under it.
    ground_detail = models.CharField(_("legal or contractual ground"), max_length=500, blank=True)
    ground_reference_url = models.URLField(_("link to the law or clause"), blank=True)
    explanation = models.TextField(_("explanation"), max_length=2000, blank=True)
    # 17(3)(b): facts and circumstances; written without personal data (TDB decision_facts).
    facts = models.TextField(_("facts and circumstances"), max_length=5000)
    territorial_scope = models.JSONField(default=list, blank=True)
    automated_detection = models.BooleanField(default=False)
    automated_decision = models.BooleanField(default=False)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # DSA art. 23 counters: the content was manifestly illegal (for a restriction), or the
    # notice was manifestly unfounded (for no action).
    manifestly_illegal = models.BooleanField(_("manifestly illegal"), default=False)
    notice_manifestly_unfounded = models.BooleanField(
        _("notice manifestly unfounded"), default=False
    )
    # What the article was before the decision, so that a reversal restores it.
    previous_status = models.CharField(max_length=20, blank=True)
    # The terms and guidelines in force, which the statement of reasons cites.
    terms_version = models.CharField(max_length=32, default=_terms_version, editable=False)
    decided_at = models.DateTimeField(default=timezone.now, editable=False)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"

    @property
    def is_restriction(self) -> bool:
        return self.outcome != Outcome.NO_ACTION

    @property
    def appeal_deadline(self) -> "timezone.datetime":
        return self.decided_at + timezone.timedelta(days=settings.TRIBUNE_APPEAL_DAYS)


class Restriction(models.Model):
    """An article reachable by its URL but left out of every list (home, topics, feeds,
    related, search, sitemaps): tribune.articles.queries.public_articles() excludes it."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="visibility_restriction"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return str(self.article_id)


class Label(models.Model):
    """An article that stays in every list but carries a "Disputed content" banner linking
    to the public statement of reasons (tribune.notices.templatetags.notices.notice_label).

    The article page fetches it with select_related("notice_label"), so that the banner
    costs no query of its own."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="notice_label")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return str(self.article_id)


class AppealState(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")


class Appeal(models.Model):
    """A complaint (DSA art. 20) against a decision, by the contributor or the notifier, or
    against a suspension, by the person suspended (`by_contributor` is then true: it is
    the affected person's appeal)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    suspension = models.ForeignKey(
        "Suspension", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    by_contributor = models.BooleanField()
    text = models.TextField(_("your reasons"), max_length=10_000)
    attachment = models.FileField(
        _("attachment"), storage=private_storage, upload_to="appeals/%Y/%m/", blank=True
    )
    state = models.CharField(max_length=16, choices=AppealState.choices, default="open")
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False, suspension__isnull=True)
                | models.Q(decision__isnull=True, suspension__isnull=False),
                name="appeal_against_one_thing",
            )
        ]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.get_state_display()} ({self.received_at:%Y-%m-%d})"


class MisuseBasis(models.TextChoices):
    """The three kinds of misuse DSA art. 23 names (and art. 24(1)(b) counts)."""

    ILLEGAL_CONTENT = "illegal_content", _("Frequently providing manifestly illegal content")
    UNFOUNDED_NOTICES = "unfounded_notices", _("Frequently sending manifestly unfounded notices")
    UNFOUNDED_COMPLAINTS = (
        "unfounded_complaints",
        _("Frequently sending manifestly unfounded appeals"),
    )


# What each suspension stops, for its statement of reasons (DSA art. 17(3)(a)).
SUSPENSION_EFFECT = {
    MisuseBasis.ILLEGAL_CONTENT: _("You cannot save or submit articles."),
    MisuseBasis.UNFOUNDED_NOTICES: _("We do not process notices from you."),
    MisuseBasis.UNFOUNDED_COMPLAINTS: _("We do not process appeals from you."),
}


class MisuseWarning(models.Model):
    """The prior warning DSA art. 23(1)/(2) requires before any suspension. Its subject is an
    account or, for notifiers without one, an e-mail address."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    basis = models.CharField(_("basis"), max_length=24, choices=MisuseBasis.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    note = models.TextField(_("assessment"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"{self.get_basis_display()} ({self.issued_at:%Y-%m-%d})"


class Suspension(models.Model):
    """A time-limited suspension (DSA art. 23) after a prior warning on the same basis."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    basis = models.CharField(_("basis"), max_length=24, choices=MisuseBasis.choices)
    warning = models.ForeignKey(MisuseWarning, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    note = models.TextField(_("assessment"))
    starts = models.DateTimeField(default=timezone.now)
    ends = models.DateTimeField(_("ends"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The content decision that started it, when a moderator suspended from the decision form.
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="suspensions"
    )
    # Set when an appeal succeeds: the suspension ends at once (DSA art. 20(4)).
    lifted_at = models.DateTimeField(null=True, blank=True)
    terms_version = models.CharField(max_length=32, default=_terms_version, editable=False)

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.get_basis_display()} ({self.starts:%Y-%m-%d} to {self.ends:%Y-%m-%d})"

    @property
    def appeal_deadline(self) -> "timezone.datetime":
        # DSA art. 20(1): at least six months from the day the person was told.
        return self.starts + timezone.timedelta(days=settings.TRIBUNE_APPEAL_DAYS)


class CounterState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the restore date")
    RESTORED = "restored", _("Restored")
    COURT_ACTION = "court_action", _("Court action filed")


class CounterNotice(models.Model):
    """A DMCA counter-notice (17 U.S.C. 512(g)(3)) against a copyright removal; the article
    comes back between 10 and 14 US business days later unless the notifier sues."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="counter_notice"
    )
    name = models.CharField(_("full name"), max_length=200)
    address = models.TextField(_("postal address"), max_length=1000)
    telephone = models.CharField(_("telephone"), max_length=50)
    signature = models.CharField(_("signature"), max_length=200)
    statements = models.BooleanField(_("statements"))
    state = models.CharField(max_length=16, choices=CounterState.choices, default="waiting")
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    restore_on = models.DateField(_("restore on"))
    restore_by = models.DateField(_("restore at the latest"))
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("counter-notice")
        verbose_name_plural = _("counter-notices")

    def __str__(self) -> str:
        return f"{self.get_state_display()} ({self.restore_on})"


class RecipientCount(models.Model):
    """Unique recipients of one calendar month (DSA art. 24(2)), counted by `tribune
    count_recipients` from the web server's access log. Only the figure is stored: no
    address, no hash."""

    month = models.DateField(unique=True)  # its first day
    recipients = models.PositiveIntegerField()
    counted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.recipients}"


class SubmittedStatement(models.Model):
    """A statement of reasons the DSA Transparency Database has stored (art. 24(5)); its
    `puid` is the decision's or suspension's uuid, so nothing is sent twice."""

    puid = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.puid


class CrimeReport(models.Model):
    """A suspicion of a criminal offence involving a threat to the life or safety of persons,
    passed on to law enforcement (DSA art. 18). The mail went to `sent_to` at `sent_at`; the
    row stays as the record of it, even if the article or notice is decided later."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="crime_reports"
    )
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="crime_reports")
    explanation = models.TextField(
        _("why the content gives rise to the suspicion"), max_length=5000
    )
    sent_to = models.EmailField(_("sent to"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("report to law enforcement")
        verbose_name_plural = _("reports to law enforcement")

    def __str__(self) -> str:
        return f"{self.sent_to} ({self.sent_at:%Y-%m-%d})"


class DisputeOutcome(models.TextChoices):
    """Where an out-of-court dispute (DSA art. 21) stands; every value but OPEN closes it."""

    OPEN = "open", _("Still open")
    FOR_RECIPIENT = "for_recipient", _("In favour of the recipient")
    FOR_US = "for_us", _("In favour of our decision")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Outcomes in which the body decided or the parties agreed: something the operator can
# implement or not (DSA art. 24(1)(a) counts the share implemented among these).
DISPUTE_DECIDED = (DisputeOutcome.FOR_RECIPIENT, DisputeOutcome.FOR_US, DisputeOutcome.SETTLED)


class Dispute(models.Model):
    """A decision referred to a certified out-of-court dispute settlement body (DSA art. 21),
    recorded by a moderator for the art. 24(1)(a) figures. Open until its outcome is known;
    a closed dispute is final (tribune.notices.actions.close_dispute)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="disputes")
    body = models.CharField(_("dispute settlement body"), max_length=200)
    referred_on = models.DateField(_("referred on"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=DisputeOutcome.choices, default=DisputeOutcome.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Whether we implemented the body's decision or the settlement; None while open or
    # when there is nothing to implement (withdrawn).
    complied = models.BooleanField(_("we implemented the outcome"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("out-of-court dispute")
        verbose_name_plural = _("out-of-court disputes")

    def __str__(self) -> str:
        return f"{self.body} ({self.referred_on})"

    @property
    def is_open(self) -> bool:
        return self.outcome == DisputeOutcome.OPEN
