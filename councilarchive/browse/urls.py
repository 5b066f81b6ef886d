from django.urls import path

from councilarchive.browse import feeds, views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("committees/", views.committees, name="committees"),
    path("meetings/", views.meetings, name="meetings"),
    path("committees/<slug:slug>/", views.committee, name="committee"),
    path("committees/<slug:slug>/meetings.ics", feeds.committee_calendar, name="committee_ics"),
    path("committees/<slug:slug>/feed/", feeds.CommitteeFeed(), name="committee_feed"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("councillors/", views.councillors, name="councillors"),
    path("councillors/<slug:slug>/", views.councillor, name="councillor"),
    path("councillors/<slug:slug>/feed/", feeds.CouncillorFeed(), name="councillor_feed"),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("resolutions/<int:pk>/", views.resolution, name="resolution"),
    path("votes/<int:pk>/", views.vote, name="vote"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>.pdf", views.document_pdf, name="document_pdf"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
