-- 0007_entity_rules: how each entity variant joined (and how sure), Wikidata ids,
-- and the user's split / merge rules that later runs honour.

-- One row per (entity, variant) whose provenance is known; variants stored before
-- this migration have none (shown as unknown). how: user | first | same_spelling |
-- spelling | short_form | latin | other (khabar.aliases.how_joined); confidence in [0, 1].
CREATE TABLE variant_links (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    how TEXT NOT NULL,
    confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    PRIMARY KEY (entity_id, variant)
);

-- Wikidata item id (Q...) from the user's alias file, else NULL.
ALTER TABLE entities ADD COLUMN wikidata TEXT;

-- User corrections, applied to the store when made and loaded into the resolver
-- by every later `khabar analyze`, in id order (a later rule wins for a form).
-- split: the mentions written one of `forms` left entity_id for other_id (new).
-- merge: other_id (now gone) joined entity_id; `forms` were its variants.
CREATE TABLE entity_rules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('split', 'merge')),
    entity_id TEXT NOT NULL,
    other_id TEXT NOT NULL,
    forms TEXT NOT NULL,              -- JSON list of surface forms
    created_at TEXT NOT NULL
);
CREATE INDEX entity_rules_other ON entity_rules(other_id);
