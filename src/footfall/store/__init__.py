"""The athlete store: SQLite (standard library, WAL) and the originals on disk.

Lives under ``FOOTFALL_HOME`` (default ``~/.footfall``): ``footfall.db`` and
``originals/``. Holds athletes and their profiles, sessions keyed by the SHA-256 of the
original bytes (with their analysis JSON, summary columns and findings), what became of every
imported file, and symptom entries. The schema is versioned (footfall.store.schema).
"""

from __future__ import annotations

from footfall.store.database import Athlete, Store, StoreBusy, check_name, home_folder
from footfall.store.ledger import ImportReport, Ledger
from footfall.store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "Athlete",
    "ImportReport",
    "Ledger",
    "Store",
    "StoreBusy",
    "check_name",
    "home_folder",
]
