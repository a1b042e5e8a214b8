"""The two seed articles: one story, one Putin, one Xi, Peskov denies, the claim is contested."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.arabic import fold
from khabar.pipeline import analyze
from khabar.settings import Settings
from khabar.store import Store


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not found at {SEEDS}: the seed tests need the shared folder beside the repo")
    store = Store(tmp_path_factory.mktemp("seeds") / "k.db")
    analyze([SEEDS], store, Settings.load(), embed=True)
    return store


def entity_of(store, surface):
    """Entity ids of mentions whose text folds to ``surface``."""
    rows = store.conn.execute("SELECT text, entity_id FROM mentions").fetchall()
    return {r["entity_id"] for r in rows if fold(r["text"]) == fold(surface)}


def test_seeds_form_one_story(seeded):
    stories = seeded.stories()
    assert len(stories) == 1 and stories[0]["n_articles"] == 2


def test_putin_spellings_resolve_to_one_entity(seeded):
    a, b = entity_of(seeded, "بوتين"), entity_of(seeded, "بوتن")
    assert a and b and a == b and len(a) == 1


def test_xi_spellings_resolve_to_one_entity(seeded):
    rows = seeded.conn.execute("SELECT text, entity_id FROM mentions").fetchall()
    ids_g = {r["entity_id"] for r in rows if "بينغ" in r["text"]}
    ids_j = {r["entity_id"] for r in rows if "بينج" in r["text"]}
    assert ids_g and ids_j and ids_g == ids_j


def test_peskov_is_a_speaker_who_denies(seeded):
    stances = []
    for art in seeded.iter_articles():
        for at in art.attributions:
            if at.speaker and "بيسكوف" in art.span_text(at.speaker):
                stances.append(at.stance)
    assert "deny" in stances


def test_regular_contact_claim_is_asserted_and_denied(seeded):
    (story,) = seeded.stories()
    found = False
    for claim in seeded.load_claims(story["id"]):
        stances = {m.stance for m in claim.members}
        if ({"assert", "allege", "confirm"} & stances) and "deny" in stances:
            found = found or any(k in fold(claim.text) for k in (fold("اتصال"), fold("محادثات")))
    assert found


def test_noise_is_removed(seeded):
    for art in seeded.iter_articles():
        assert "[ad_1]" not in art.text
        assert "إعادة استخدام هذا المحتوى" not in art.text
        assert "مايكل سوينسن / أ ف ب" not in art.text
        assert "اقرأ المزيد للمشتركين فقط" not in art.text
