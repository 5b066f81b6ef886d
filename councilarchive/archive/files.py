"""A stored file's identity: its SHA-256.

`Document.sha256` names each uploaded PDF once (a re-upload is found by it, and the file is kept at
`documents/<first two>/<sha256>.pdf`); the ingest's extraction-ahead cache keys on it, and a backup's
manifest lists it for every file so a restore can prove each one came back unchanged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: str | Path) -> str:
    """The hex SHA-256 of the file at `path`, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
