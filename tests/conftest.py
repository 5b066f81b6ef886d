"""Project-wide test set-up: a real PostgreSQL (embedded unless DATABASE_URL is set)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKS = REPO / "fixtures" / "packs"
SEEDS = REPO / "fixtures" / "seeds"
PAGE_DUMPS = REPO / "fixtures" / "text"
EXTERNAL = REPO.parent / "shared" / "external"
# No developer's .env in the tests or in any process they start (settings read ENV_FILE).
os.environ["ENV_FILE"] = ""

import pytest  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: their live server flushes the database when it stops; before
    them the other transactional tests, which flush it too (the session's sample archive with it)."""

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=lambda item: ("/e2e/" in str(item.fspath), flushes(item)))


@pytest.fixture(scope="session", autouse=True)
def _test_media_root(tmp_path_factory):
    """Stored PDFs go to a folder of the test session, never the developer's var/media; the
    processes tests start (workers, manage.py) inherit it through the environment."""
    import os

    from django.test import override_settings

    root = tmp_path_factory.mktemp("media")
    previous = os.environ.get("MEDIA_ROOT")
    os.environ["MEDIA_ROOT"] = str(root)
    with override_settings(MEDIA_ROOT=root):
        yield root
    if previous is None:
        os.environ.pop("MEDIA_ROOT", None)
    else:
        os.environ["MEDIA_ROOT"] = previous


@pytest.fixture(scope="session")
def parsed_packs():
    """Each sample pack extracted and parsed once per test session: {file name: (path, pages, pack)}."""
    from councilarchive.ingest.extract import extract
    from councilarchive.ingest.parse import parse

    packs = {}
    for path in sorted(PACKS.glob("*.pdf")):
        pages = extract(path)
        packs[path.name] = (path, pages, parse(pages))
    return packs


@pytest.fixture(scope="session")
def sample_archive(django_db_setup, django_db_blocker, parsed_packs):
    """The five sample packs loaded into the test database (committed), shared by all tests.

    Tests that change data use `db` (rolled back), so the archive stays as loaded."""
    from councilarchive.archive.models import Document
    from councilarchive.ingest.load import load
    from councilarchive.ingest.pipeline import store

    with django_db_blocker.unblock():
        documents = {}
        for name, (path, pages, pack) in parsed_packs.items():
            document, created = store(path)
            if created or document.status != Document.Status.LOADED:
                load(pack, document, pages)
            documents[name] = document
    return documents
