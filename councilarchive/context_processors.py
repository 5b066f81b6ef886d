"""What every page's template knows: the name of the council whose papers the site archives."""

from django.conf import settings


def site(request):
    return {"COUNCIL_NAME": settings.COUNCIL_NAME}
