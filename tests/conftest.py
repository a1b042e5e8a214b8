"""Shared fixtures. Module-specific fixtures live in their own test files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not found at {SEEDS}: the seed tests need the shared folder beside the repo")
    return SEEDS


@pytest.fixture
def shared_data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"../shared/data not found at {DATA}")
    return DATA


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file filled by ``test_dossier.fill_store``, one per test module, so a module may write to its own.

    Not indexed for search: ``create_app`` indexes what is missing, which the web tests rely on.
    """
    from test_dossier import fill_store

    from khabar.store import Store

    db = tmp_path_factory.mktemp("filled") / "khabar.db"
    with Store(db) as s:
        fill_store(s)
    return db
