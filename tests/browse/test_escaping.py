"""Document text is always shown as text: `<script>` in any field renders escaped."""

import pytest

from tests.browse.conftest import SCRIPT

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize(
    "url",
    [
        lambda b: b.may.get_absolute_url(),
        lambda b: b.report.get_absolute_url(),
        lambda b: b.vote.get_absolute_url(),
        lambda b: b.evil.get_absolute_url(),
        lambda b: "/councillors/",
        lambda b: b.full.get_absolute_url(),
    ],
    ids=["meeting", "report", "vote", "councillor", "councillor-index", "committee"],
)
def test_script_in_text_renders_escaped(client, browse, url):
    response = client.get(url(browse), secure=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert ESCAPED in html


def test_atom_feed_escapes_names(client, browse):
    response = client.get(f"/councillors/{browse.evil.slug}/feed/", secure=True)
    assert response.status_code == 200
    assert SCRIPT.encode() not in response.content
