"""The admin's members register import: a CSV (`name, party, division, start, end`) is read and
shown as a preview (each record added or updated, each field's old and new value, an error per bad
row); "Import" writes the good rows (ingest/members.py) and logs each change in the admin history.
The CSV travels from the preview to the import in a hidden field, so nothing is stored between."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from councilarchive.ingest.members import apply_register, read_register
from councilarchive.ingest.pipeline import default_council
from councilarchive.officers.admin_views import audit

MAX_BYTES = 1_000_000


class RegisterForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        required=False,
        help_text="Columns name, party, division, start, end (a header row; others ignored).",
    )
    text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError("The file is over 1 MB: is it the members list?")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "The file is not UTF-8 text (save it as CSV UTF-8)."
                ) from None
        if not data.get("text"):
            raise forms.ValidationError("Choose a CSV file.")
        return data


def import_view(model_admin, request):
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        plan = read_register(default_council(), form.cleaned_data["text"])
        if "apply" in request.POST:
            done = apply_register(plan)
            for row in plan.rows:
                if row.changes:
                    added = "added" in row.changes
                    message = f"Members register import, line {row.line}: {row.describe()}."
                    audit(request.user, row.councillor, ADDITION if added else CHANGE, message)
            level = messages.WARNING if plan.errors else messages.SUCCESS
            skipped = f"; {len(plan.errors)} rows with errors not imported" if plan.errors else ""
            messages.add_message(
                request,
                level,
                f"Members register: {done['added']} added, {done['updated']} updated{skipped}.",
            )
            return redirect("admin:archive_councillor_changelist")
        form = RegisterForm(initial={"text": form.cleaned_data["text"]})
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import the members register (CSV)",
        "form": form,
        "plan": plan,
    }
    return TemplateResponse(request, "officers/register_import.html", context)
