"""One article's whole way, in a real browser: sign-up, writing, review, publication.

Debian's chromium (installed by .ci/system-packages) is driven by Playwright against
pytest-django's live server; mail goes through the real SMTP sink. Nothing is mocked.
"""

import contextlib
import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tribune.accounts import roles
from tribune.testing import factories

CHROMIUM = Path("/usr/bin/chromium")
# Quiet and self-contained: no sandbox (CI runs as root), no calls home, no first-run UI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000  # per step; a step waits for its page, never for a fixed time

WRITER = {"name": "Ada Riverside", "email": "ada@example.org", "password": "long-river-2024!"}
EDITOR = {"email": "desk@example.org", "password": "editors-pass-2024!"}
HEADLINE = "Volunteers measure the river every month"
SUMMARY = "Ten neighbours test the water and publish what they find."
SECTIONS = ["How we measure", "What we found", "What comes next"]
BODY = (
    "Every first Saturday we walk to the old bridge with a test kit.\n\n"
    f"## {SECTIONS[0]}\n\nWe take three samples and write down the readings.\n\n"
    f"## {SECTIONS[1]}\n\nThe water is cleaner than it was ten years ago.\n\n"
    f"## {SECTIONS[2]}\n\nThe school wants to join in spring.\n"
)

# The live server answers from its own thread, so the data must be committed (transaction);
# serialized_rollback brings back the roles that a migration made, should an earlier
# transactional test have flushed them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def chromium() -> Callable[[], contextlib.AbstractContextManager]:
    """Start Debian's chromium (never a downloaded browser); skip when it is not installed.

    Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM
    calls while one runs: make the data first, then enter `with chromium() as browser`."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (.ci/system-packages)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is missing: pip install -e '.[test]'")

    @contextlib.contextmanager
    def launch() -> Iterator:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()

    return launch


@pytest.fixture
def site(live_server, settings, mailbox) -> str:
    """The live server's address, which mail links must point at too."""
    settings.TRIBUNE_BASE_URL = live_server.url
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, urlsplit(live_server.url).hostname]
    return live_server.url


def make_editor() -> None:
    editor = get_user_model().objects.create_user(
        username="desk", email=EDITOR["email"], password=EDITOR["password"], is_staff=True
    )
    editor.groups.add(Group.objects.get(name=roles.EDITORS))


def mail_to(mailbox: list[EmailMessage], address: str, subject_part: str) -> str:
    """The plain text of the one message to `address` whose subject contains the words."""
    found = [m for m in mailbox if m["To"] == address and subject_part in m["Subject"]]
    assert len(found) == 1, [(m["To"], m["Subject"]) for m in mailbox]
    return found[0].get_body(("plain",)).get_content()


def link_in(text: str, site: str) -> str:
    links = re.findall(r"https?://\S+", text)
    assert links, text
    assert links[0].startswith(site + "/"), links[0]
    return links[0]


def sign_in(page, email: str, password: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def new_page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_a_new_contributor_signs_up_writes_and_an_editor_publishes_the_article(
    chromium, site, mailbox, tmp_path
):
    from playwright.sync_api import expect

    make_editor()
    factories.topic("environment", en="Environment", de="Umwelt")

    with chromium() as browser:
        # A reader signs up from the header link.
        writer = new_page(browser)
        writer.goto(site + "/en/")
        writer.get_by_role("link", name="Write for us").click()
        writer.get_by_label("Your name as readers will see it").fill(WRITER["name"])
        writer.get_by_label("E-mail address").fill(WRITER["email"])
        writer.get_by_label("Password").fill(WRITER["password"])
        writer.get_by_role("button", name="Create account").click()
        expect(writer.get_by_role("heading", name="Check your inbox")).to_be_visible()

        # The link in the mail confirms the address (with a button: scanners only GET).
        verification = link_in(mail_to(mailbox, WRITER["email"], "Confirm your address"), site)
        writer.goto(verification)
        writer.get_by_role("button", name="Confirm my e-mail address").click()
        expect(writer.get_by_role("heading", name="Address confirmed")).to_be_visible()
        writer.get_by_role("main").get_by_role("link", name="sign in").click()
        sign_in(writer, WRITER["email"], WRITER["password"])

        # The desk is empty; the writing page takes the article and submits it.
        writer.get_by_role("link", name="Your articles").click()
        expect(writer.get_by_text("You have not written anything yet.")).to_be_visible()
        writer.screenshot(path=tmp_path / "desk-empty.png", full_page=True)
        writer.get_by_role("link", name="Write a new article").click()
        writer.get_by_label("Headline").fill(HEADLINE)
        writer.get_by_label("Summary").fill(SUMMARY)
        writer.get_by_label("Text").fill(BODY)
        writer.get_by_label("Environment").check()
        writer.get_by_label("Sources").fill("https://example.org/river-readings")
        writer.get_by_label("I have read and accept the submission guidelines").check()
        writer.screenshot(path=tmp_path / "writing.png", full_page=True)
        writer.get_by_role("button", name="Submit to the editors").click()
        expect(writer.get_by_text("Submitted. The editors will review it")).to_be_visible()
        row = writer.get_by_role("row").filter(has_text=HEADLINE)
        expect(row).to_contain_text("Submitted")
        writer.screenshot(path=tmp_path / "desk-submitted.png", full_page=True)

        # The editor is told, finds it in the queue, takes it and approves it.
        alert = mail_to(mailbox, EDITOR["email"], "New submission")
        assert HEADLINE in alert
        editor = new_page(browser)
        editor.goto(site + "/en/account/sign-in/")
        sign_in(editor, EDITOR["email"], EDITOR["password"])
        editor.get_by_role("link", name="Editorial queue").click()
        queued = editor.get_by_role("row").filter(has_text=HEADLINE)
        expect(queued).to_contain_text(WRITER["name"])
        expect(queued).to_contain_text("Environment")
        editor.screenshot(path=tmp_path / "queue.png", full_page=True)
        queued.get_by_role("link", name=HEADLINE).click()
        expect(editor).to_have_url(link_in(alert, site))
        editor.get_by_role("button", name="Review this myself").click()
        expect(editor.get_by_text("You are reviewing this submission.")).to_be_visible()
        expect(editor.locator("pre.diff").last).to_contain_text(SECTIONS[2])
        editor.screenshot(path=tmp_path / "review.png", full_page=True)
        editor.get_by_role("group", name="Decision").get_by_label("Approve").check()
        editor.get_by_label("Message to the author").fill("Clear and well sourced. Thank you!")
        editor.get_by_role("button", name="Send decision").click()
        expect(editor.get_by_text("Approved.")).to_be_visible()
        expect(editor.get_by_text("Nothing is waiting for review.")).to_be_visible()

        # The author hears of it; any reader finds the article on the front page.
        decision = mail_to(mailbox, WRITER["email"], HEADLINE)
        assert "Clear and well sourced. Thank you!" in decision
        reader = new_page(browser)
        reader.goto(site + "/en/")
        reader.get_by_role("link", name=HEADLINE).first.click()
        article = reader.get_by_role("article").first
        expect(article.get_by_role("heading", level=1)).to_have_text(HEADLINE)
        expect(article.locator(".author")).to_have_text(f"By {WRITER['name']}")
        sections = article.locator(".article-body").get_by_role("heading", level=2)
        expect(sections).to_have_text(SECTIONS)
        reader.screenshot(path=tmp_path / "article.png", full_page=True)

        # The author's desk links to the live article.
        writer.reload()
        expect(row).to_contain_text("Published")
        expect(row.get_by_role("link", name="view")).to_have_attribute(
            "href", urlsplit(reader.url).path
        )

    for name in ("writing", "review", "article"):
        assert (tmp_path / f"{name}.png").stat().st_size > 0
