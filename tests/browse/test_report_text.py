"""Report text recovered from pdfminer page text (fixtures/text): headings, paragraphs, lists."""

from types import SimpleNamespace

from councilarchive.archive.report_text import blocks_from_pages, blocks_from_text
from councilarchive.ingest.parse.text import pages_from_text
from tests.conftest import PAGE_DUMPS


def pages(prefix, numbers):
    path = next(PAGE_DUMPS.glob(f"{prefix}_*.pages.txt"))
    texts = pages_from_text(path.read_text())
    return [SimpleNamespace(number=n, text=_text(texts[n - 1])) for n in numbers]


def _text(page):
    return page.text if hasattr(page, "text") else page


def kinds(blocks, kind):
    return [b for b in blocks if b.kind == kind]


def test_winter_report_numbered_headings_and_bullets():
    # 004 pack pages 12-13: "7.0 Winter Response", "9.0 Summary" then "•  Systems Resilience..."
    blocks = blocks_from_pages(pages("004", [12, 13]))
    headings = [b.text for b in kinds(blocks, "h3")]
    assert "7.0 Winter Response" in headings
    assert "9.0 Summary" in headings
    bullets = [item for b in kinds(blocks, "ul") for item in b.items]
    assert bullets[0].startswith("Systems Resilience Groups, of which KCC is an integral part")
    assert bullets[0].endswith("to manage winter pressures.")
    assert any(i.startswith("KCC and other partners' support") for i in bullets)
    assert [b.page for b in kinds(blocks, "page")] == [12, 13]
    assert not any("Page 12" == b.text for b in blocks)


def test_safeguarding_report_lettered_list_and_unnumbered_headings():
    # 002 page 3: "KSCB Objectives and Function" / "a. To co-ordinate what is done ..."
    blocks = blocks_from_pages(pages("002", [3]))
    assert "KSCB Objectives and Function" in [b.text for b in kinds(blocks, "h3")]
    lettered = [item for b in kinds(blocks, "ol") for item in b.items]
    assert lettered[0].startswith("a. To co-ordinate what is done by each person")
    assert lettered[1].startswith("b. To ensure the effectiveness")
    ccgs = next(b for b in kinds(blocks, "ul") if "West Kent," in b.items)
    assert ccgs.items[:3] == ["West Kent,", "Dartford, Gravesham and Swanley,", "Swale,"]


def test_paragraph_joins_wrapped_lines():
    blocks = blocks_from_pages(pages("004", [12]))
    paragraph = next(b.text for b in kinds(blocks, "p") if b.text.startswith("The first period"))
    assert paragraph == (
        "The first period of industrial action by Junior Doctors ran for a day and ended on 13 "
        "January. The plans put in place were effective and none of the organisations affected "
        "in Kent had to increase their escalation levels as a result of this."
    )


def test_flattened_body_splits_before_numbered_sections():
    blocks = blocks_from_text(
        "1.0 Purpose This report provides a briefing. 2.0 Background Historically, winter "
        "pressures grew."
    )
    texts = [b.text for b in blocks]
    assert texts == [
        "1.0 Purpose This report provides a briefing.",
        "2.0 Background Historically, winter pressures grew.",
    ]
