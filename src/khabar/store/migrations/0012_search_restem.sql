-- 0012_search_restem: the `stems` columns are rebuilt. khabar.arabic.strip_clitics now keeps a
-- word's own initial و/ف (وزارة, وثائق, فلسطين were indexed as زارة, ثائق, لسطين), so stems written
-- before no longer meet the queries' (khabar.retrieve.query_terms, khabar.store.search.parse_query).
-- The index is emptied here; khabar.store.db.connect re-indexes every article right after
-- (khabar.store.search.index_pending), from the stored texts and attributions.
DELETE FROM articles_fts;
DELETE FROM statements_fts;
DELETE FROM search_articles;
DELETE FROM search_statements;
