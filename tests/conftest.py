"""Project-wide test set-up: a real PostgreSQL (embedded unless DATABASE_URL is set)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKS = REPO / "fixtures" / "packs"
SEEDS = REPO / "fixtures" / "seeds"
PAGE_DUMPS = REPO / "fixtures" / "text"
EXTERNAL = REPO.parent / "shared" / "external"
