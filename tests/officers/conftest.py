"""Admin test fixtures: an officer, a superuser, the sample packs as uploads, bad files."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from councilarchive.archive.files import sha256_of
from councilarchive.archive.models import Document
from councilarchive.ingest.load import load
from councilarchive.ingest.parse import parse
from councilarchive.ingest.pipeline import store
from tests.conftest import PACKS
from tests.ingest.conftest import dump_pages

SMALL_PACK = PACKS / "002_f3da20a1edfad8fa.pdf"  # 36 pages, a standalone report
VOTES_PACK = PACKS / "000_44206e63360eab18.pdf"  # County Council: minutes with recorded votes

officers_migration = importlib.import_module("councilarchive.archive.migrations.0005_officers")
dedup_migration = importlib.import_module("councilarchive.archive.migrations.0011_dedup_provenance")


def officers_group() -> Group:
    """The migration's group (recreated if a transactional test flushed the database)."""
    if not Group.objects.filter(name="Officers").exists():
        officers_migration.create_officers(apps, None)
        dedup_migration.grant_officers(apps, None)
    return Group.objects.get(name="Officers")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(db):
    user = User.objects.create_user("olive", password="pw-officer-1", is_staff=True)
    user.groups.add(officers_group())
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def upload_file(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), "application/pdf")


def forget(path) -> None:
    """Remove a committed copy of this file (e.g. the session's sample archive) for this test."""
    Document.objects.filter(sha256=sha256_of(path)).delete()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(SMALL_PACK)))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def votes_document(db):
    """Pack 000 loaded from its page dump (no PDF extraction): minutes with recorded votes."""
    forget(VOTES_PACK)
    document, _ = store(VOTES_PACK)
    pages = dump_pages("000")
    load(parse(pages), document, pages)
    document.refresh_from_db()
    return document
