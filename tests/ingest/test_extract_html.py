"""Saved ModernGov meeting pages (HTML) -> main-content text, one line per block."""

from pathlib import Path

import pytest

from councilarchive.ingest.extract_html import extract_html, html_text

EXTERNAL = Path(__file__).resolve().parents[2].parent / "shared" / "external"
WECA = EXTERNAL / "west-of-england-ca"


def meeting_page(name_part: str) -> list[str]:
    if not EXTERNAL.is_dir():
        pytest.skip("../shared/external not present (a user's own clone)")
    (path,) = WECA.glob(f"*{name_part}*.html")
    pages = extract_html(path)
    assert [p.number for p in pages] == [1]
    return pages[0].text.splitlines()


def test_scrutiny_minutes_page_keeps_each_paragraph_as_a_line():
    lines = meeting_page("0021")
    # the page heading, then the venue paragraph with its label
    assert lines[0] == (
        "West of England Combined Authority Overview & Scrutiny Committee - "
        "Monday, 23rd March, 2026 10.00 am"
    )
    assert "Venue: 70 Redcliff Street (BS1 6AL)" in lines
    # item 2 (Minutes): "Minutes:" label then the minute on a line of its own
    at = lines.index("The minutes of the meeting held on 26 January 2026 were approved.")
    assert lines[at - 1] == "Minutes:"
    # a paragraph wrapped over several source lines with <span>s inside becomes one line
    assert (
        "Members who consider that they have an interest to declare are asked to: a) State the "
        "item number in which they have an interest, b) The nature of the interest, c) Whether "
        "the interest is a disclosable pecuniary interest, non-disclosable pecuniary interest or "
        "non-pecuniary interest. Any Member who is unsure about the above should seek advice "
        "from the Monitoring Officer prior to the meeting in order to expedite matters at the "
        "meeting itself."
    ) in lines


def test_joint_committee_page_keeps_resolutions_and_drops_scripts_and_navigation():
    lines = meeting_page("0018")
    text = "\n".join(lines)
    assert "Mayor Helen Godwin welcomed everybody to the meeting." in lines
    # item 15 (Spatial Development Strategy): its "Decision:" and, in the minutes, "Resolved:"
    approved = "1) Approved the proposed 30-year time period for the SDS."
    at = [i for i, line in enumerate(lines) if line == approved]
    assert [lines[i - 2 : i] for i in at] == [
        ["Decision:", "The West of England Joint Committee:"],
        ["Resolved:", "The West of England Joint Committee:"],
    ]
    assert lines.count("Decision:") >= 5
    # <script> bodies ("var mgJQuery = jQuery.noConflict(true);", "function handleMobileMenu(e)")
    assert "mgJQuery" not in text and "handleMobileMenu" not in text and "$ModernGov" not in text
    # the site menu ("Committee information", "Return to main site") and the breadcrumb are
    # outside role="main" or inside <nav>
    assert "Return to main site" not in text
    assert "Committee information" not in lines and "Home" not in lines


def test_block_structure_entities_and_hidden_elements():
    html = """<html><head><title>T</title><style>p { color: red }</style></head><body>
    <nav><a href="/">Home</a></nav><div role="main"><h1 style="display: none;">Agenda</h1>
    <h2>Cabinet - Monday, 26th June, 2017</h2><p>Mayor&#39;s Q&amp;A
    with   members</p><ul><li>First<li>Second</ul><table><tr><td>1.</td><td>Apologies</td></tr>
    </table>Line one<br>Line two<script>var x = "<p>not text</p>";</script></div>
    <footer>Copyright</footer></body></html>"""
    assert html_text(html).splitlines() == [
        "Cabinet - Monday, 26th June, 2017",
        "Mayor's Q&A with members",
        "First",
        "Second",
        "1. Apologies",
        "Line one",
        "Line two",
    ]


def test_fragment_without_main_element_keeps_all_its_text():
    assert html_text("<div><p>Decision:</p><p>RESOLVED that the report be noted.</p></div>") == (
        "Decision:\nRESOLVED that the report be noted."
    )
