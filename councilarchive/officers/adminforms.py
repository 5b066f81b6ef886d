"""Forms for the officers' admin pages: upload, merge councillors, split an alias off."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget

from councilarchive.archive.models import Alias, Committee, Councillor
from councilarchive.ingest.committees import committee_named


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; each checked by `clean_files`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="PDF files",
        help_text="One or several agenda packs, minutes or reports (PDF, up to %(mb)s MB each).",
    )
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.select_related("council"),
        required=False,
        help_text="Leave empty to take the committee from the papers themselves.",
    )
    new_committee = forms.CharField(
        label="…or a new committee",
        max_length=200,
        required=False,
        help_text="Creates the committee if it does not exist yet.",
    )
    meeting_date = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        help_text="Optional: the meeting these papers are for.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mb = f"{settings.INGEST_MAX_BYTES / 1e6:.0f}"
        self.fields["files"].help_text = self.fields["files"].help_text % {"mb": mb}

    def clean(self):
        data = super().clean()
        if data.get("committee") and data.get("new_committee", "").strip():
            raise forms.ValidationError("Choose a committee or name a new one, not both.")
        return data

    def get_committee(self, council) -> Committee | None:
        """The chosen committee, or the named one (created in `council` when new)."""
        if self.cleaned_data.get("committee"):
            return self.cleaned_data["committee"]
        name = " ".join(self.cleaned_data.get("new_committee", "").split())
        if not name:
            return None
        return committee_named(council, name[:200])


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Councillor.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this record",
        help_text="The other record's aliases, votes, attendance and declarations move to it.",
    )

    def __init__(self, *args, councillors, **kwargs):
        super().__init__(*args, **kwargs)
        self.councillors = list(councillors)
        self.fields["keep"].queryset = Councillor.objects.filter(
            pk__in=[c.pk for c in self.councillors]
        )

    def clean(self):
        data = super().clean()
        if len(self.councillors) != 2:
            raise forms.ValidationError("Select exactly two councillors to merge.")
        if len({c.council_id for c in self.councillors}) != 1:
            raise forms.ValidationError("These councillors belong to different councils.")
        return data

    @property
    def merged_away(self) -> Councillor:
        keep = self.cleaned_data["keep"]
        return next(c for c in self.councillors if c.pk != keep.pk)


class SplitForm(forms.Form):
    alias = forms.ModelChoiceField(
        queryset=Alias.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Printed name to split off",
        help_text="Its votes, attendance and declarations move to the new councillor.",
    )
    name = forms.CharField(
        max_length=200,
        required=False,
        help_text="The new councillor's name; empty to use the printed name.",
    )

    def __init__(self, *args, councillor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alias"].queryset = councillor.aliases.all()
