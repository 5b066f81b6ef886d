"""The one Atom writer every feed uses (a committee's, a councillor's, a search's).

A feed reader takes `<summary type="html">` as HTML *after* undoing the XML escaping: a resolution
reading "RESOLVED that <img src=x onerror=alert(1)> be noted" written there as plain text reaches
the reader as a live `<img>`. So a summary is HTML only when the feed hands over HTML it made safe
itself (a `SafeString`: a search snippet, escaped first and marked second); any other summary, and
every title, is written as text (`type="text"`), which a reader shows as it stands.

Every string is also passed through `plaintext.clean`: a control character in stored text (a PDF
glyph mapped to U+0007, text stored before ingest cleaned it) would make the XML writer raise.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeData

from councilarchive.archive.plaintext import clean_all


def tag_uri(link: str, when) -> str:
    """An entry's id as an RFC 4151 tag: URI, 'tag:example.org,2019-05-09:/votes/7/' (Django's
    own get_tag_uri appends '/' and the fragment: '/votes/7//')."""
    parts = urlsplit(link)
    day = f",{when:%Y-%m-%d}" if when else ""
    return f"tag:{parts.hostname}{day}:{parts.path}" + (f"?{parts.query}" if parts.query else "")


class SafeAtom1Feed(Atom1Feed):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = clean_all(self.feed)

    def add_item(self, title, link, description, **kwargs):
        if kwargs.get("unique_id") is None:
            kwargs["unique_id"] = tag_uri(link, kwargs.get("pubdate"))
        html = isinstance(description, SafeData)
        super().add_item(title, link, description, **kwargs)
        self.items[-1] = {**clean_all(self.items[-1]), "summary_is_html": html}

    def add_item_elements(self, handler, item):
        if item["description"] is None or item["summary_is_html"]:
            return super().add_item_elements(handler, item)
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("summary", item["description"], {"type": "text"})
