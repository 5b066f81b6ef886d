from django.urls import path, re_path

from councilarchive.api import views as api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("items/", api.json_errors(api.items), name="items"),
    path("meetings/", api.json_errors(api.meetings), name="meetings"),
    path("meetings/<int:pk>/", api.json_errors(api.meeting), name="meeting"),
    path("items/<int:pk>/", api.json_errors(api.item), name="item"),
    path("resolutions/", api.json_errors(api.resolutions), name="resolutions"),
    path("resolutions/<int:pk>/", api.json_errors(api.resolution), name="resolution"),
    path("votes/", api.json_errors(api.votes), name="votes"),
    path("votes/<int:pk>/", api.json_errors(api.vote), name="vote"),
    path("councillors/", api.json_errors(api.councillors), name="councillors"),
    path("councillors/<slug:slug>/", api.json_errors(api.councillor), name="councillor"),
    re_path(r"^.+/$", api.not_found),  # any other path under /api/: a 404 in JSON
]
