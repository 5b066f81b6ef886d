from django.urls import path

from councilarchive.api import views as api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("meetings/", api.meetings, name="meetings"),
    path("meetings/<int:pk>/", api.meeting, name="meeting"),
    path("items/<int:pk>/", api.item, name="item"),
    path("resolutions/", api.resolutions, name="resolutions"),
    path("resolutions/<int:pk>/", api.resolution, name="resolution"),
    path("votes/", api.votes, name="votes"),
    path("votes/<int:pk>/", api.vote, name="vote"),
    path("councillors/", api.councillors, name="councillors"),
    path("councillors/<slug:slug>/", api.councillor, name="councillor"),
]
