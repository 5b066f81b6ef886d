"""What a feed reader shows of an Atom feed (RFC 4287 §3.1): a text construct of type "text" (the
default) is shown as it stands; of type "html", its XML text (already unescaped once by the XML
parser) is parsed as HTML, so any element in it is live markup; of type "xhtml", its child
elements are markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser

ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_CONSTRUCTS = ("title", "subtitle", "summary", "content", "rights")


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@dataclass
class Rendered:
    tags: list[str] = field(default_factory=list)  # elements the reader would render
    texts: list[str] = field(default_factory=list)  # what it shows as text


def read_feed(body: bytes) -> Rendered:
    """Every text construct of the feed and its entries, as a reader renders it. Raises if the
    feed is not well-formed XML."""
    root = ET.fromstring(body)
    rendered = Rendered()
    for parent in [root, *root.iter(f"{ATOM}entry")]:
        for name in TEXT_CONSTRUCTS:
            element = parent.find(f"{ATOM}{name}")
            if element is None:
                continue
            kind = element.get("type", "text")
            if kind == "html":
                markup = _Markup()
                markup.feed(element.text or "")
                markup.close()
                rendered.tags += markup.tags
                rendered.texts.append("".join(markup.text))
            elif kind == "xhtml":
                rendered.tags += [child.tag for child in element.iter()][1:]
                rendered.texts.append("".join(element.itertext()))
            else:
                rendered.texts.append(element.text or "")
    return rendered
