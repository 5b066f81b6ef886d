"""The public browse pages in a real browser: navigation, keyboard use, 320 px, axe-core.

Needs Playwright for Python (`.venv/bin/pip install playwright`), Debian's chromium at
/usr/bin/chromium (`apt-get install chromium`; never `playwright install`) and axe-core from npm
(`npm install --no-save --no-package-lock axe-core`, into the git-ignored node_modules/); each
missing piece skips these tests with the reason. axe.min.js is injected into every page with
`page.add_script_tag(path=...)` and run with the WCAG 2.1 A/AA and best-practice rules.

Screenshots of each page type go to test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json

import pytest

from tests.browse.conftest import build_browse
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SCREENSHOTS = REPO / "test-output" / "screenshots"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser(chromium):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --no-save --no-package-lock axe-core)")
    return chromium


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1100, "height": 900},
        # axe-core is injected as a script; the site's CSP (tested in tests/security) forbids that.
        bypass_csp=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(transactional_db):
    """The browse tests' archive, committed so the live server sees it."""
    from councilarchive.archive.models import Council

    return build_browse(Council.objects.get_or_create(name="Wessex Browse Test Council")[0])


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def check(page, name: str) -> None:
    """One h1, no axe violations, no sideways scrolling at 320 px; screenshots at both widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.locator("h1").count() == 1, name
    violations = axe_violations(page)
    assert violations == [], f"{name}: {json.dumps(violations, indent=1)}"
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-320.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})
    assert overflow <= 320, f"{name} is {overflow}px wide at 320px"


def test_home_to_committee_to_meeting_to_councillor_to_vote(page, site):
    page.goto("/")
    check(page, "home")
    page.get_by_role("link", name="Browse Full Council", exact=True).click()
    page.wait_for_url(f"**{site.full.get_absolute_url()}")
    check(page, "committee")
    page.get_by_role("link", name="9 May 2019").click()
    page.wait_for_url(f"**{site.may.get_absolute_url()}")
    assert "Quillfield Bypass" in page.locator("h1 + dl, main").first.inner_text()
    check(page, "meeting")
    vote = page.locator(f"#vote-{site.vote.pk}-heading").locator("xpath=..")
    vote.get_by_role("link", name="Miss Tamsin Cobbleigh").click()
    page.wait_for_url(f"**{site.cobb.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Miss Tamsin Cobbleigh"
    check(page, "councillor")
    page.get_by_role("link", name="That the Quillfield bypass be approved.").click()
    page.wait_for_url(f"**{site.vote.get_absolute_url()}")
    assert "Against" in page.locator("main").inner_text()
    check(page, "vote")


def test_topic_report_resolution_and_index_pages(page, site):
    page.goto("/topics/")
    check(page, "topics")
    page.get_by_role("link", name="Browse roads").click()
    page.wait_for_url(f"**{site.finance.get_absolute_url()}")
    check(page, "topic")
    page.get_by_role("link", name="Quillfield Bypass: Business Case").click()
    page.wait_for_url(f"**{site.report.get_absolute_url()}")
    assert page.locator("h3", has_text="2.0 Options").count() == 1
    check(page, "report")
    page.goto(site.resolution.get_absolute_url())
    check(page, "resolution")
    page.goto(site.pack.get_absolute_url())
    check(page, "document")


def test_councillor_index_filter_without_javascript(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/councillors/")
    page.get_by_label("Filter by name").fill("cobb")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/councillors/?q=cobb")
    main = page.locator("main").inner_text()
    assert "Miss Tamsin Cobbleigh" in main and "Ashcombe" not in main
    context.close()


def test_councillor_index_passes_axe(page, site):
    page.goto("/councillors/?q=b")
    check(page, "councillors")


def test_meeting_page_by_keyboard(page, site):
    page.goto(site.may.get_absolute_url())
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.className, document.activeElement.textContent]"
    )
    assert focused == ["skip-link", "Skip to main content"]
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab stops are inside main: the previous-meeting link comes before the items.
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent")
    assert first.startswith("Previous meeting")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible focus
    # Tab on past the source papers and what was decided to the first item's link.
    for _ in range(12):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.getAttribute('href')")
            == f"#item-{site.bypass.pk}"
        ):
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        f"#item-{site.bypass.pk}"
    )
    page.keyboard.press("Enter")
    assert page.url.endswith(f"#item-{site.bypass.pk}")


def test_search_pages_pass_axe_and_search_without_javascript(browser, page, live_server, site):
    """The journalists' pages: results with facets and the filter form, the resolutions search,
    a search with no results, and the API documentation. The form works with JavaScript off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = context.new_page()
    plain.goto("/search/")
    plain.get_by_label("Search for").fill("bypass")
    plain.get_by_label("Search for").press("Enter")
    plain.wait_for_url("**/search/?q=bypass*")
    assert "Quillfield" in plain.locator("main").inner_text()
    context.close()

    for name, path in [
        ("search", "/search/?q=bypass"),
        ("search-resolutions", "/search/resolutions/?q=bypass"),
        ("search-nothing", "/search/?q=quillfeld"),
        ("api", "/api/"),
    ]:
        page.goto(path)
        check(page, name)
