-- 0002_search: full-text search over articles and statements (SQLite FTS5).
-- The indexed columns hold FOLDED text (khabar.arabic.fold), never display text:
-- queries are folded the same way, so spelling variants of letters (أ/ا, ة/ه, ى/ي,
-- diacritics, tatweel) match. `stems` repeats each folded word without its
-- attached article or conjunction (khabar.arabic.strip_clitics), so بوتين finds
-- وبوتين. Rows are keyed through the two key tables (the FTS rowid is their id),
-- so re-indexing an article deletes its rows by key, not by a scan.

CREATE TABLE search_articles (
    id INTEGER PRIMARY KEY,           -- rowid in articles_fts
    article_id TEXT NOT NULL UNIQUE   -- articles.id
);

CREATE TABLE search_statements (
    id INTEGER PRIMARY KEY,           -- rowid in statements_fts
    article_id TEXT NOT NULL,         -- attributions.article_id
    attribution_idx INTEGER NOT NULL, -- attributions.idx: stable across re-linking, unlike attributions.id
    UNIQUE (article_id, attribution_idx)
);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, stems, tokenize = 'unicode61 remove_diacritics 0');

CREATE VIRTUAL TABLE statements_fts USING fts5(speaker, content, stems, tokenize = 'unicode61 remove_diacritics 0');
