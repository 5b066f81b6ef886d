"""Each public page type as a resident sees it, at 1280 px (a laptop) and 390 px (a phone).

At 1280 px the first result is above the fold; at 390 px nothing scrolls sideways and the first
result is still in view once the page is scrolled past the query box (the filters are collapsed);
axe-core finds no violations; every result link opens a page that shows the words searched for.
Full-page screenshots go to test-output/screenshots/ (`make test` prints the path).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.test_browse import axe_violations
from tests.e2e.test_browse import browser as browser  # noqa: F401 (the fixture)
from tests.e2e.test_browse import site as site  # noqa: F401 (the fixture)

SCREENSHOTS = REPO / "test-output" / "screenshots"
WIDE, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=WIDE, bypass_csp=True, locale="en-GB"
    )
    page = context.new_page()
    yield page
    context.close()


def look(page, name: str, path: str) -> None:
    """Open `path` at both widths: one h1, no axe violations, no sideways scroll on a phone;
    full-page screenshots `<name>-1280.png` and `<name>-390.png`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        page.goto(path)
        assert page.locator("h1").count() == 1, name
        violations = axe_violations(page)
        assert violations == [], f"{name} at {size['width']}: {json.dumps(violations, indent=1)}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name} is {width}px wide at {size['width']}px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)


def first_result_top(page) -> float:
    return page.locator("ol.results > li").first.bounding_box()["y"]


@pytest.mark.parametrize("path", ["/search/?q=bypass", "/search/resolutions/?q=bypass"])
def test_results_come_first(page, site, path):  # noqa: F811
    name = "search" if path.startswith("/search/?") else "search-resolutions"
    look(page, name, path)
    page.set_viewport_size(WIDE)
    page.goto(path)
    assert first_result_top(page) < WIDE["height"], "first result below the fold at 1280 px"
    # Wide: the filters sit beside the results, open.
    sidebar = page.locator(".search-sidebar").bounding_box()
    results = page.locator(".search-results").bounding_box()
    assert sidebar["x"] + sidebar["width"] <= results["x"]
    assert page.locator(".filters select").first.is_visible()
    # Phone: the filters are one collapsed "Filter" line above the results.
    page.set_viewport_size(PHONE)
    page.goto(path)
    assert not page.locator(".filters select").first.is_visible()
    assert first_result_top(page) < PHONE["height"], "first result below the fold at 390 px"
    page.locator(".filters > summary").click()
    assert page.locator(".filters select").first.is_visible()


def test_kind_is_checkboxes_and_filters_work_without_javascript(browser, live_server, site):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search/?q=bypass")
    page.get_by_label("Resolutions").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**kind=resolution*")
    assert "q=bypass" in page.url
    kinds = page.locator("ol.results .kind").all_inner_texts()
    assert kinds and set(kinds) == {"Resolution"}
    assert page.get_by_text("for example 13/07/2017").count() == 2  # the date format, shown
    context.close()


def test_date_fields_read_day_month_year_as_their_hint_says(page, site):  # noqa: F811
    """The hint says "for example 13/07/2017"; chromium in British English orders a date field's
    parts day, month, year (read from its accessibility tree: the parts are not in the DOM)."""
    if not Path("/usr/lib/chromium/locales/en-GB.pak").exists():  # Debian's chromium
        pytest.skip("chromium's en-GB language pack is missing (apt-get install chromium-l10n)")
    page.goto("/search/?q=bypass")
    assert page.get_by_text("for example 13/07/2017").count() == 2
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    parts = [
        node["name"]["value"].split()[0]
        for node in tree["nodes"]
        if node.get("role", {}).get("value") == "spinbutton"
    ]
    assert parts == ["Day", "Month", "Year"] * 2, parts


def test_every_result_link_shows_the_hit(page, site):  # noqa: F811
    page.goto("/search/?q=bypass")
    links = page.locator("ol.results h3 a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any("/pages/" in href for href in hrefs), hrefs  # PDF pages land on their text
    for href in hrefs:
        page.goto(href)
        assert "bypass" in page.locator("main").inner_text().lower(), href


def test_document_page_view(page, site):  # noqa: F811
    page_path = f"/documents/{site.pack.pk}/pages/7/?q=bypass"
    look(page, "document-page", page_path)
    page.set_viewport_size(WIDE)
    page.goto(page_path)
    assert page.locator(".page-body mark").count() >= 1
    assert (
        page.get_by_role("link", name="Open page 7 of the PDF")
        .get_attribute("href")
        .endswith("#page=7")
    )
    page.get_by_role("link", name="Page 8 →").click()
    page.wait_for_url("**/pages/8/?q=bypass")


PAGE_TYPES = {
    "home": lambda site: "/",
    "committees": lambda site: "/committees/",
    "meetings": lambda site: "/meetings/",
    "committee": lambda site: site.full.get_absolute_url(),
    "meeting": lambda site: site.may.get_absolute_url(),
    "meeting-agenda-only": lambda site: site.april.get_absolute_url(),
    "resolution": lambda site: site.resolution.get_absolute_url(),
    "vote": lambda site: site.vote.get_absolute_url(),
    "report": lambda site: site.report.get_absolute_url(),
    "document": lambda site: site.pack.get_absolute_url(),
    "councillor": lambda site: site.cobb.get_absolute_url(),
    "topic": lambda site: site.finance.get_absolute_url(),
    "search-newest": lambda site: "/search/",
    "search-nothing": lambda site: "/search/?q=quillfeld&kind=report",
    "search-vote": lambda site: "/search/?q=bypass&outcome=carried&vote=motion",
    "search-too-long": lambda site: "/search/?q=" + "bypass+" * 80,
    "api": lambda site: "/api/",
}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_at_both_widths(page, site, name):  # noqa: F811
    look(page, name, PAGE_TYPES[name](site))


def test_meeting_page_opens_with_what_was_decided(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site.may.get_absolute_url())
    decided = page.locator("#decisions-heading").bounding_box()["y"]
    assert decided < WIDE["height"], "what was decided is below the fold"
    assert page.locator("header").inner_text().startswith("Kent County Council")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Committees", "Meetings"):
        nav.get_by_role("link", name=name).click()
        assert page.locator("h1").inner_text() == name


def test_resolution_results_land_on_the_resolution(page, site):  # noqa: F811
    page.goto("/search/resolutions/?q=bypass")
    links = page.locator("ol.results h3 a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs
    for href in hrefs:
        page.goto(href)
        assert "bypass" in page.locator("main").inner_text().lower(), href


def test_a_wide_table_scrolls_in_its_box_on_a_phone_and_says_so(page, site):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.goto(site.cobb.get_absolute_url())
    box = page.locator("#votes-heading ~ .table-wrap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: no cue needed"
    assert page.locator(".scroll-hint").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(WIDE)
    assert not page.locator(".scroll-hint").is_visible()


def test_long_name_lists_take_two_columns_on_a_phone(page, site):  # noqa: F811
    from tests.browse.conftest import build_meeting

    crowded = build_meeting(site.council, 1, 30, "e2e-crowded")  # 20 present, 30 voting
    page.set_viewport_size(PHONE)
    page.goto(crowded.get_absolute_url())
    columns = "el => getComputedStyle(el).columnCount"
    assert page.locator(".attendance ul.names").first.evaluate(columns) == "2"
    assert page.locator(".vote-groups ul.names").first.evaluate(columns) == "2"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(site.may.get_absolute_url())  # four present: one column
    assert page.locator(".attendance ul.names").first.evaluate(columns) == "auto"
    page.set_viewport_size(WIDE)
    page.goto(crowded.get_absolute_url())
    assert page.locator(".vote-groups ul.names").first.evaluate(columns) == "auto"


def test_a_crowded_meeting_folds_names_and_minutes_and_opens_them_by_keyboard(page, site):  # noqa: F811
    """The County Council's page was 27,800 px on a phone (73 present, votes of 62 names, long
    minutes); long lists and minutes fold, their counts and the decisions in view."""
    from tests.browse.conftest import build_meeting

    crowded = build_meeting(site.council, 6, 75, "e2e-folded")  # 50 present, 75 voting for
    for item in crowded.items.all():
        item.text = "\n\n".join(f"({n}) " + "Members debated the matter. " * 14 for n in (1, 2))
        item.text += "\n\n(3) The Chairman put the motion to the vote."
        item.save()
    look(page, "meeting-crowded", crowded.get_absolute_url())
    page.set_viewport_size(PHONE)
    page.goto(crowded.get_absolute_url())
    height = "document.documentElement.scrollHeight"
    folded = page.evaluate(height)
    page.evaluate("document.querySelectorAll('details.fold').forEach(d => d.open = true)")
    unfolded = page.evaluate(height)
    assert folded * 2 < unfolded, f"folded {folded}px, open {unfolded}px on a phone"
    page.goto(crowded.get_absolute_url())
    present = page.locator(".attendance details").first
    names = present.locator("ul.names li")
    assert names.count() == 50 and not names.first.is_visible()
    assert page.locator(".vote-groups summary").first.inner_text() == "For (75)"
    assert page.locator(".item .resolution").first.is_visible()  # decisions stay in view
    first_minute = page.locator(".minute-fold").first
    assert not first_minute.get_by_text("The Chairman put the motion").is_visible()
    # the keyboard opens a fold: Tab reaches its summary, Enter opens it
    present.locator("summary").focus()
    page.keyboard.press("Enter")
    assert names.first.is_visible()
    first_minute.locator("summary").focus()
    page.keyboard.press("Space")
    assert first_minute.get_by_text("The Chairman put the motion").is_visible()
    # a link to a minute (where a search result lands) shows its text open
    item = crowded.items.order_by("position").last()
    page.goto(f"{crowded.get_absolute_url()}#item-{item.pk}")
    target = page.locator(f"#item-{item.pk} .minute-fold")
    assert target.get_by_text("The Chairman put the motion").is_visible()


def test_search_by_vote_says_which_vote_matched(page, site):  # noqa: F811
    page.goto("/search/?q=bypass")
    page.locator(".facets").get_by_role("link", name="Motion carried").click()
    page.wait_for_url("**outcome=carried*")
    assert "vote=motion" in page.url
    found = page.locator("ol.results .matched-votes").all_inner_texts()
    assert found and set(found) == {"Found by its vote: Motion carried"}


def test_a_spelling_suggestion_keeps_the_filters_and_the_other_drops_them(page, site):  # noqa: F811
    page.goto("/search/?q=quillfeld&kind=report")
    page.locator(".suggestions").get_by_role("link", name="quillfield", exact=True).click()
    page.wait_for_url("**/search/?q=quillfield&kind=report")
    kinds = page.locator("ol.results .kind").all_inner_texts()
    assert kinds and set(kinds) == {"Report"}
    page.go_back()
    page.get_by_role("link", name="Search for quillfeld without filters").click()
    page.wait_for_url("**/search/?q=quillfeld")
