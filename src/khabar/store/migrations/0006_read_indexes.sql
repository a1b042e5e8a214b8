-- 0006_read_indexes: covering indexes for the web's read queries (issue #9: story list and
-- dossier under 200 ms p95 at 31,030 articles). articles rows hold the raw and cleaned text,
-- and story_id is stored after them, so reading story_id from the table walks overflow
-- pages; these indexes answer the story-list aggregates and the mention joins without
-- touching article rows. The two replaced indexes are prefixes of their replacements.
DROP INDEX IF EXISTS articles_story;
CREATE INDEX articles_story ON articles(story_id, source, id);
CREATE INDEX articles_id_story ON articles(id, story_id);
CREATE INDEX articles_source_story ON articles(source, story_id);
DROP INDEX IF EXISTS mentions_article;
CREATE INDEX mentions_article ON mentions(article_id, entity_id);
DROP INDEX IF EXISTS mentions_entity;
CREATE INDEX mentions_entity ON mentions(entity_id, article_id);
