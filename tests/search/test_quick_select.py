"""The filter form's long selects are rendered in Python: same markup as Django's, escaped."""

from django.http import QueryDict

from councilarchive.archive.models import Council, Councillor, Page
from councilarchive.search.filters import SearchFilterSet


def test_councillor_select_escapes_names_and_marks_the_chosen_one(db):
    council = Council.objects.create(name="Test Council")
    Councillor.objects.create(council=council, name='Mr <script>alert("x")</script>', slug="evil")
    Councillor.objects.create(council=council, name="Mrs A & B Jones", slug="jones")
    form = SearchFilterSet(QueryDict("councillor=jones"), queryset=Page.objects.none()).form

    html = str(form["councillor"])

    assert html.startswith('<select form="search" id="id_councillor" name="councillor">')
    assert "<script>" not in html
    assert "Mr &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<option value="jones" selected>Mrs A &amp; B Jones</option>' in html
    assert '<option value="">any councillor</option>' in html  # not selected: one is chosen
    assert html.count(" selected") == 1


def test_select_with_nothing_chosen_selects_the_empty_option(db):
    html = str(SearchFilterSet(QueryDict(""), queryset=Page.objects.none()).form["topic"])
    assert '<option value="" selected>any topic</option>' in html
    assert html.count(" selected") == 1
