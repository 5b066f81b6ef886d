"""The one way the archive makes a slug: never empty, unique where its URL looks it up.

`slug_for("Cabinet", "committee")` is "cabinet". A name with no ASCII letter or digit ("!!!", or a
name in another script, "Пленарное заседание") slugifies to nothing, and an empty slug breaks every
page that links to the record (`reverse()` raises NoReverseMatch): such a name gets "<fallback>-"
and a short hash of the name ("committee-1d6f2a0c"), the same every time for the same name, so a
lookup by slug still finds the record the name made.

`create_with_unique_slug` stores a new record under the first of base, base-2, base-3, ... that no
record in the URL's scope (`/committees/<slug>/` looks a committee up by slug alone, so the scope
is every committee) holds, retrying when a concurrent insert takes the same slug first.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

MAX_LENGTH = 200
ATTEMPTS = 5


def slug_for(name: str, fallback: str, max_length: int = MAX_LENGTH) -> str:
    """A non-empty ASCII slug for `name` ("" only for a name that is blank)."""
    base = slugify(name)[:max_length].strip("-")
    if base or not name.strip():
        return base
    digest = hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:8]
    return f"{fallback}-{digest}"


def unique_slug(scope: models.QuerySet, base: str, max_length: int = MAX_LENGTH) -> str:
    """`base`, or base-2, base-3, ...: the first slug no record in `scope` holds."""
    taken = set(scope.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug


def create_with_unique_slug(model: type[models.Model], scope: models.QuerySet, base: str, **fields):
    """`model.objects.create(slug=<unique in scope>, **fields)`, safe against a concurrent insert."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return model.objects.create(slug=unique_slug(scope, base), **fields)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
