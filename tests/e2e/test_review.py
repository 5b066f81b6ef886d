"""The officers' review page in a real browser, at 1280 px and 390 px: a sample pack whose
self-check found problems opens with their summary, and each problem's link leads to the row of
its page, where the problem sits beside the records parsed from that page (each linking to its
edit form) and the page's text. Screenshots `review-1280.png` / `review-390.png` go to
test-output/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.test_pages import PHONE, SCREENSHOTS, WIDE

PASSWORD = "officer-pw-review-1"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def document(transactional_db, tmp_path, settings):
    """Pack 000 (County Council minutes with recorded votes) loaded from its page dump into an
    empty archive: its votes name "Miss S Carey", whom PRESENT prints as "Miss S J Carev"."""
    from django.core.management import call_command

    from councilarchive.ingest.load import load
    from councilarchive.ingest.parse import parse
    from councilarchive.ingest.pipeline import store
    from tests.ingest.conftest import dump_pages
    from tests.officers.conftest import VOTES_PACK

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("flush", interactive=False, verbosity=0)
    document, _ = store(VOTES_PACK)
    pages = dump_pages("000")
    load(parse(pages), document, pages)
    document.refresh_from_db()
    return document


@pytest.fixture
def page(chromium, live_server, document):
    from django.contrib.auth.models import User

    from tests.officers.conftest import officers_group

    user = User.objects.create_user("olive", password=PASSWORD, is_staff=True)
    user.groups.add(officers_group())
    context = chromium.new_context(base_url=live_server.url, viewport=WIDE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, "olive", PASSWORD)
    yield page
    context.close()


def test_review_page_opens_with_the_problems_each_linked_to_its_page(page, document):
    problems = document.problems
    assert len(problems) == 3 and all(p["page"] for p in problems)
    review = f"/admin/archive/document/{document.pk}/review/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        page.goto(review)
        summary = page.locator("#problems")
        assert summary.is_visible()
        assert summary.locator("h2").inner_text() == "Needs attention: 3 problems"
        assert summary.bounding_box()["y"] < size["height"], "the summary is in the first view"
        page.screenshot(path=str(SCREENSHOTS / f"review-{size['width']}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"the review page is {width}px wide at {size['width']}px"

    page.set_viewport_size(WIDE)
    page.goto(review)
    links = page.locator("#problems li a")
    assert links.count() == len(problems)
    for k, problem in enumerate(problems):
        link = links.nth(k)
        assert link.inner_text() == f"page {problem['page']}"
        item = page.locator("#problems li").nth(k).inner_text()
        assert problem["where"] in item and problem["message"] in item
        link.click()
        assert page.url.endswith(f"{review}#page-{problem['page']}")
        row = page.locator(f"tr#page-{problem['page']}")
        assert row.is_visible() and row.bounding_box()["y"] < WIDE["height"]
        # the problem beside its page's records: the vote it is about links to its edit form
        assert any(problem["message"] in t for t in row.locator(".problem").all_inner_texts())
        vote_links = row.locator("a[href^='/admin/archive/vote/']")
        assert vote_links.count() >= 1
        # and the page's own text, to check the record against
        text = document.pages.get(number=problem["page"]).text
        first_line = next(line for line in text.splitlines() if line.strip() and "&" not in line)
        assert first_line.strip() in row.inner_text()
    # a record's link opens its form
    vote_link = page.locator(f"tr#page-{problems[0]['page']} a[href^='/admin/archive/vote/']")
    vote_link.first.click()
    page.wait_for_selector("input[name=count_for]")
    assert "/change/" in page.url
