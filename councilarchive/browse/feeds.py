"""Feeds: an iCalendar file of each committee's meetings, and Atom feeds of new resolutions and
recorded votes per committee and per councillor. Sitemap sections for every public page.

Feed items are dated by their meeting (midnight, London time): a record ingested late still sorts
where it happened.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from councilarchive.archive.models import (
    Committee,
    Councillor,
    CouncillorVote,
    Meeting,
    Report,
    Resolution,
    Topic,
    Vote,
)
from councilarchive.archive.plaintext import clean
from councilarchive.archive.syndication import SafeAtom1Feed

FEED_LENGTH = 50
LONDON = ZoneInfo(settings.TIME_ZONE)

# -- iCalendar (RFC 5545) -------------------------------------------------------------------------


def meeting_event(meeting: Meeting, url: str, stamp: dt.datetime, host: str) -> icalendar.Event:
    # The icalendar library escapes TEXT (backslash, ; , and every line break, a lone CR too) and
    # folds lines at 75 octets; `clean` first drops the control characters TEXT may not hold.
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", stamp)
    if meeting.time:
        start = dt.datetime.combine(meeting.date, meeting.time, tzinfo=LONDON)
        event.add("dtstart", start.astimezone(dt.UTC))
    else:
        event.add("dtstart", meeting.date)  # an all-day event when the papers give no time
    event.add("summary", clean(meeting.committee.name))
    if meeting.venue:
        event.add("location", clean(meeting.venue))
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    event.add("url", url)
    event.add("description", f"Papers and minutes: {url}")
    return event


def committee_calendar(request, slug):
    """`/committees/<slug>/meetings.ics`: every meeting of the committee as an event."""
    committee = get_object_or_404(Committee, slug=slug)
    meetings = Meeting.objects.for_committee(committee).select_related("committee").order_by("date")
    host = request.get_host().split(":")[0]
    stamp = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Council Archive//Meetings//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean(committee.name))
    for meeting in meetings:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        calendar.add_component(meeting_event(meeting, url, stamp, host))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{committee.slug}.ics"'
    return response


# -- Atom -----------------------------------------------------------------------------------------


def meeting_datetime(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=LONDON)


def resolution_entry(resolution: Resolution) -> dict:
    meeting = resolution.item.meeting
    return {
        "title": f"Resolved: {Truncator(resolution.text).words(16)}",
        "description": f"{meeting} — {resolution.item.title}\n\n{resolution.text}",
        "link": resolution.get_absolute_url(),
        "date": meeting_datetime(meeting.date),
        "guid": f"resolution-{resolution.pk}",
    }


def vote_entry(vote: Vote, how: str = "") -> dict:
    meeting = vote.item.meeting
    counts = f"{vote.count_for or 0} for, {vote.count_against or 0} against"
    outcome = vote.get_outcome_display() or "Recorded vote"
    prefix = f"Voted {how}: " if how else f"{outcome} ({counts}): "
    return {
        "title": prefix + Truncator(vote.question or vote.item.title).words(14),
        "description": f"{meeting} — {vote.item.title}. {outcome}, {counts}.",
        "link": vote.get_absolute_url(),
        "date": meeting_datetime(meeting.date),
        "guid": f"vote-{vote.pk}",
    }


class EntryFeed(Feed):
    """Feed items are dicts built by `resolution_entry` / `vote_entry`: plain text throughout, so
    their summaries are written as text, never as HTML (see syndication)."""

    feed_type = SafeAtom1Feed

    def item_title(self, entry):
        return entry["title"]

    def item_description(self, entry):
        return entry["description"]

    def item_link(self, entry):
        return entry["link"]

    def item_pubdate(self, entry):
        return entry["date"]

    def item_guid(self, entry):
        """None: the Atom writer then makes the entry's id a tag: URI from its absolute link and
        date ("tag:example.org,2019-05-09:/votes/7/"), as Atom requires, not "vote-7"."""
        return None


def newest(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (e["date"], e["guid"]), reverse=True)[:FEED_LENGTH]


class CommitteeFeed(EntryFeed):
    """`/committees/<slug>/feed/`: the committee's resolutions and recorded votes."""

    def get_object(self, request, slug):
        return get_object_or_404(Committee, slug=slug)

    def title(self, committee):
        return f"{committee.name}, {settings.COUNCIL_NAME}: resolutions and votes"

    def link(self, committee):
        return committee.get_absolute_url()

    def subtitle(self, committee):
        return f"New resolutions and recorded votes of {committee.name}."

    def items(self, committee):
        resolutions = (
            Resolution.objects.filter(item__meeting__committee=committee)
            .select_related("item__meeting__committee")
            .defer("search_vector", "item__search_vector", "item__text")
            .order_by("-item__meeting__date", "-pk")[:FEED_LENGTH]
        )
        votes = (
            Vote.objects.filter(item__meeting__committee=committee)
            .select_related("item__meeting__committee")
            .defer("item__search_vector", "item__text")
            .order_by("-item__meeting__date", "-pk")[:FEED_LENGTH]
        )
        return newest([resolution_entry(r) for r in resolutions] + [vote_entry(v) for v in votes])


class CouncillorFeed(EntryFeed):
    """`/councillors/<slug>/feed/`: how the councillor voted, and the resolutions of the meetings
    they attended."""

    def get_object(self, request, slug):
        return get_object_or_404(Councillor, slug=slug)

    def title(self, councillor):
        return f"{councillor}: votes and resolutions"

    def link(self, councillor):
        return councillor.get_absolute_url()

    def subtitle(self, councillor):
        return f"Recorded votes by {councillor} and resolutions of meetings they attended."

    def items(self, councillor):
        cast = (
            CouncillorVote.objects.filter(councillor=councillor)
            .select_related("vote__item__meeting__committee")
            .defer("vote__item__search_vector", "vote__item__text")
            .order_by("-vote__item__meeting__date", "-pk")[:FEED_LENGTH]
        )
        resolutions = (
            Resolution.objects.filter(
                item__meeting__attendance__councillor=councillor,
                item__meeting__attendance__role__in=["present", "substitute"],
            )
            .select_related("item__meeting__committee")
            .defer("search_vector", "item__search_vector", "item__text")
            .order_by("-item__meeting__date", "-pk")[:FEED_LENGTH]
        )
        entries = [vote_entry(cv.vote, cv.get_option_display().lower()) for cv in cast]
        return newest(entries + [resolution_entry(r) for r in resolutions])


# -- sitemap --------------------------------------------------------------------------------------


class StaticSitemap(Sitemap):
    def items(self):
        return ["archive:home", "archive:councillors", "archive:topics"]

    def location(self, name):
        return reverse(name)


class ModelSitemap(Sitemap):
    queryset = None

    def items(self):
        return self.queryset.order_by("pk")


class CommitteeSitemap(ModelSitemap):
    queryset = Committee.objects.only("slug")


class MeetingSitemap(ModelSitemap):
    queryset = Meeting.objects.only("date")

    def lastmod(self, meeting):
        return meeting.date


class CouncillorSitemap(ModelSitemap):
    queryset = Councillor.objects.only("slug")


class TopicSitemap(ModelSitemap):
    queryset = Topic.objects.only("slug")


class ReportSitemap(ModelSitemap):
    queryset = Report.objects.only("pk")


class ResolutionSitemap(ModelSitemap):
    queryset = Resolution.objects.only("pk")


class VoteSitemap(ModelSitemap):
    queryset = Vote.objects.only("pk")


SITEMAPS = {
    "pages": StaticSitemap,
    "committees": CommitteeSitemap,
    "meetings": MeetingSitemap,
    "councillors": CouncillorSitemap,
    "topics": TopicSitemap,
    "reports": ReportSitemap,
    "resolutions": ResolutionSitemap,
    "votes": VoteSitemap,
}
