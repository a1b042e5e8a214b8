-- 0001_initial: articles, their layers, entities, attributions, stories, claims.
-- Offsets are character offsets into articles.text (the cleaned text), half-open.

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    analysed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,              -- sha256 of normalised title + raw text
    seq INTEGER NOT NULL UNIQUE,      -- arrival order, never reused
    path TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL,
    text TEXT NOT NULL,
    offsets TEXT NOT NULL,            -- JSON [[clean_start, raw_start, length], ...]
    story_id TEXT,
    duplicate_of TEXT,
    duplicate_relation TEXT,
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE removed_blocks (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    raw_start INTEGER NOT NULL,
    raw_end INTEGER NOT NULL,
    rule TEXT NOT NULL
);
CREATE INDEX removed_blocks_article ON removed_blocks(article_id);

-- Generic span layers (sentences, roles, ...), one row per span.
CREATE TABLE spans (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    ref TEXT
);
CREATE INDEX spans_article_layer ON spans(article_id, layer);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    canonical TEXT NOT NULL,
    type TEXT NOT NULL,
    latin TEXT
);

CREATE TABLE entity_variants (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    PRIMARY KEY (entity_id, variant)
);

CREATE TABLE entity_roles (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (entity_id, role)
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    type TEXT NOT NULL,
    entity_id TEXT,                   -- entities.id (soft link: merges may re-point it)
    text TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE attributions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,             -- position in the article's attribution list
    kind TEXT NOT NULL,
    stance TEXT NOT NULL,
    speaker_kind TEXT NOT NULL,
    speaker_start INTEGER, speaker_end INTEGER, speaker_entity TEXT,
    cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL,
    content_start INTEGER NOT NULL, content_end INTEGER NOT NULL,
    nested_start INTEGER, nested_end INTEGER,
    claim_id TEXT,
    UNIQUE (article_id, idx)
);
CREATE INDEX attributions_claim ON attributions(claim_id);
CREATE INDEX attributions_speaker ON attributions(speaker_entity);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    first_published TEXT NOT NULL DEFAULT '',
    last_published TEXT NOT NULL DEFAULT '',
    updated_run INTEGER
);

CREATE TABLE story_events (
    story_id TEXT NOT NULL,
    event TEXT NOT NULL,              -- created | merged | split
    detail TEXT NOT NULL DEFAULT '',
    run_id INTEGER
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL REFERENCES stories(id),
    text TEXT NOT NULL,
    first_published TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claims_story ON claims(story_id);

CREATE TABLE claim_members (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    attribution_idx INTEGER,          -- NULL: the outlet's own voice
    stance TEXT NOT NULL,
    source TEXT NOT NULL,
    source_entity TEXT,
    outlet TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX claim_members_claim ON claim_members(claim_id);

-- Inputs that could not be analysed, with the reason: nothing is skipped silently.
CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    path TEXT NOT NULL,
    reason TEXT NOT NULL
);

-- Embeddings by sha256 of the embedded text (float32 bytes).
CREATE TABLE embeddings (
    hash TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);

-- Corpus-stage state (story index, duplicate index) as JSON/pickle-free blobs.
CREATE TABLE state (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
