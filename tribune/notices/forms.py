import datetime

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tribune.articles.models import Article
from tribune.notices.attachments import check_attachment
from tribune.notices.locate import articles_from_urls
from tribune.notices.models import Category, DisputeOutcome, Ground, MisuseBasis, Outcome

MAX_EXPLANATION = 10_000
DMCA_FIELDS = (
    "dmca_work",
    "dmca_rights_holder",
    "dmca_contact",
    "dmca_signature",
    "dmca_statements",
)


def _one_line(value: str) -> str:
    """Names and signatures go into mail headers and greetings: one line only."""
    if any(char in value for char in "\r\n\x00"):
        raise forms.ValidationError(_("Please write this on one line."))
    return " ".join(value.split())


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong with it?"), choices=Category.choices)
    urls = forms.CharField(
        label=_("Addresses of the articles"),
        help_text=_("One address a line, for example the address of the article page."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    passage = forms.CharField(
        label=_("Which passage? (optional)"),
        help_text=_("Quote the sentences or name the section, so that we find them at once."),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation = forms.CharField(
        label=_("Why is it illegal or against our guidelines?"),
        help_text=_("Explain as precisely as you can; we decide on what you write here."),
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    legal_provision = forms.CharField(
        label=_("Law concerned (optional)"),
        help_text=_("For example “§ 185 StGB” or “§ 97 UrhG”."),
        required=False,
        max_length=200,
    )
    notifier_name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    notifier_email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        help_text=_(
            "Without an address we cannot confirm receipt or tell you our decision. Name and "
            "address are not needed to report child sexual abuse material."
        ),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    dmca_work = forms.CharField(
        label=_("Copyright only: the work that was copied"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    dmca_rights_holder = forms.CharField(
        label=_("Copyright only: the rights holder you act for"), required=False, max_length=200
    )
    dmca_contact = forms.CharField(
        label=_("Copyright only: your postal address and telephone"),
        required=False,
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    dmca_signature = forms.CharField(
        label=_("Copyright only: your full name as signature"), required=False, max_length=200
    )
    dmca_statements = forms.BooleanField(
        label=_(
            "Copyright only: I believe in good faith that the use is not authorised by the "
            "rights holder, its agent or the law, and I state under penalty of perjury that I am "
            "authorised to act for the rights holder."
        ),
        required=False,
    )
    bona_fide = forms.BooleanField(
        label=_(
            "I believe in good faith that the information in this notice is accurate and complete."
        ),
        error_messages={"required": _("Please confirm that your notice is made in good faith.")},
    )
    # A field people never see; bots that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: object, request_host: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.request_host = request_host
        if not settings.TRIBUNE_DMCA:
            for name in DMCA_FIELDS:
                del self.fields[name]

    def clean_urls(self) -> list[tuple[str, Article]]:
        return articles_from_urls(self.cleaned_data["urls"], self.request_host)

    def clean_notifier_name(self) -> str:
        return _one_line(self.cleaned_data["notifier_name"])

    def clean_dmca_signature(self) -> str:
        return _one_line(self.cleaned_data["dmca_signature"])

    def clean_dmca_rights_holder(self) -> str:
        return _one_line(self.cleaned_data["dmca_rights_holder"])

    def clean_legal_provision(self) -> str:
        return _one_line(self.cleaned_data["legal_provision"])

    def clean_notifier_email(self) -> str:
        return self.cleaned_data["notifier_email"].strip().lower()

    def clean_explanation(self) -> str:
        text = self.cleaned_data["explanation"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Please explain in a few words what is wrong."))
        return text

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices)
    ground = forms.ChoiceField(
        label=_("Ground"), choices=[("", "—"), *Ground.choices], required=False
    )
    ground_detail = forms.CharField(
        label=_("Law or clause of our terms"),
        help_text=_("For example “§ 97 UrhG” or “Guidelines, section 3: sources”."),
        required=False,
        max_length=500,
    )
    ground_reference_url = forms.URLField(
        label=_("Link to the law or clause (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    explanation = forms.CharField(
        label=_("Why the article falls under it"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    facts = forms.CharField(
        label=_("Facts and circumstances"),
        help_text=_("Sent to the contributor and published without personal data: name no one."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    manifestly_illegal = forms.BooleanField(
        label=_("Manifestly illegal (counts towards a warning or suspension of the contributor)"),
        required=False,
    )
    notice_manifestly_unfounded = forms.BooleanField(
        label=_("No action: the notice was manifestly unfounded (counts for the notifier)"),
        required=False,
    )
    misuse_step = forms.ChoiceField(
        label=_("The contributor (Art. 23 Digital Services Act)"),
        choices=[
            ("", _("No further step")),
            ("warn", _("Warn the contributor")),
            ("suspend", _("Suspend the contributor (needs a warning given at least a day before)")),
        ],
        help_text=_("Only for manifestly illegal content; the terms describe the policy."),
        required=False,
    )
    suspension_ends = forms.DateField(
        label=_("Suspended until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    misuse_note = forms.CharField(
        label=_("Assessment for the warning or suspension (number, share, gravity, intention)"),
        help_text=_("Sent to the contributor with the statement of reasons."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_suspension_ends(self) -> datetime.datetime | None:
        day = self.cleaned_data["suspension_ends"]
        # The suspension lasts to the end of the day named, in UTC like every stored time.
        return (
            datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC) if day else None
        )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why is the decision wrong?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB, for example a licence or a letter."),
        required=False,
    )

    def clean_attachment(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload


class AppealDecisionForm(forms.Form):
    reverse_decision = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("no", _("Uphold the decision")), ("yes", _("Reverse the decision"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("Reasons (sent to the person who appealed)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CounterNoticeForm(forms.Form):
    """17 U.S.C. 512(g)(3): the subscriber's counter-notice."""

    name = forms.CharField(label=_("Your full name"), max_length=200)
    address = forms.CharField(
        label=_("Your postal address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    telephone = forms.CharField(label=_("Your telephone number"), max_length=50)
    signature = forms.CharField(label=_("Your full name as signature"), max_length=200)
    statements = forms.BooleanField(
        label=_(
            "I state under penalty of perjury that I believe in good faith that the article was "
            "removed by mistake or misidentification. I consent to the jurisdiction of the US "
            "Federal District Court for my district (or, outside the US, any district where the "
            "operator may be found) and will accept service of process from the person who "
            "sent the notice or their agent."
        ),
        error_messages={"required": _("The counter-notice needs these statements.")},
    )

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def clean_signature(self) -> str:
        return _one_line(self.cleaned_data["signature"])

    def clean_telephone(self) -> str:
        return _one_line(self.cleaned_data["telephone"])


class WarningForm(forms.Form):
    basis = forms.ChoiceField(label=_("Kind of misuse"), choices=MisuseBasis.choices)
    email = forms.EmailField(
        label=_("E-mail address of the account or notifier"),
        help_text=_("An account with this address is warned as such; otherwise the address."),
        max_length=254,
    )
    note = forms.CharField(
        label=_("Assessment (number, share, gravity, intention; sent to the person)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SuspensionForm(forms.Form):
    ends = forms.DateField(
        label=_("Suspended until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Assessment (sent to the person)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SuspensionAppealForm(AppealForm):
    text = forms.CharField(
        label=_("Why is the suspension wrong?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CrimeReportForm(forms.Form):
    """DSA art. 18: why the content suggests a crime threatening life or safety."""

    prefix = "crime"  # beside the decision form, which has an explanation too

    explanation = forms.CharField(
        label=_("Why does this suggest a criminal offence threatening someone's life or safety?"),
        help_text=_(
            "Sent to the law enforcement authority with the article, the notice and the "
            "contributor's account data."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Explain why the content suggests a threat to life or safety.")
        },
    )


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


COMPLIED_CHOICES = [
    ("", _("Not applicable (open or withdrawn)")),
    ("yes", _("Yes, we implemented it")),
    ("no", _("No")),
]


class _DisputeEnd(forms.Form):
    """How a dispute ended: the fields a new record and a closing share."""

    closed_on = forms.DateField(
        label=_("Closed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    complied = forms.TypedChoiceField(
        label=_("Did we implement the body's decision or the settlement?"),
        choices=COMPLIED_CHOICES,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )


class DisputeForm(_DisputeEnd):
    """An out-of-court dispute (DSA art. 21); the rules between the dates and the outcome
    are checked by tribune.notices.actions.record_dispute, so that every caller gets them."""

    field_order = ["body", "referred_on", "outcome", "closed_on", "complied"]

    body = forms.CharField(
        label=_("Certified dispute settlement body"), max_length=200, required=False
    )
    referred_on = forms.DateField(
        label=_("Referred on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DisputeOutcome.choices)

    def clean_body(self) -> str:
        return _one_line(self.cleaned_data["body"])


class DisputeCloseForm(_DisputeEnd):
    prefix = "close"  # beside the DisputeForm on the same page
    field_order = ["outcome", "closed_on", "complied"]

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in DisputeOutcome.choices if c[0] != DisputeOutcome.OPEN],
    )
