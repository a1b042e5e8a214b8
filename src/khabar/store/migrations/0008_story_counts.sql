-- 0008_story_counts: a story's article, outlet and claim counts kept on its row (issue #9:
-- the story list under 200 ms p95 at 31,030 articles). The list used to aggregate every
-- article by story on each page (15-40 ms at 30k articles, for each filter combination);
-- with the counts on the row a page is a scan of the stories table. Triggers keep them
-- true whichever code path moves an article or rewrites claims; Store.save_story also
-- sets them, since a story row may be written after its articles.
ALTER TABLE stories ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN n_outlets INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN n_claims INTEGER NOT NULL DEFAULT 0;
UPDATE stories SET
    n_articles = (SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id),
    n_outlets = (SELECT COUNT(DISTINCT NULLIF(a.source, '')) FROM articles a WHERE a.story_id = stories.id),
    n_claims = (SELECT COUNT(*) FROM claims c WHERE c.story_id = stories.id);
CREATE TRIGGER articles_count_insert AFTER INSERT ON articles WHEN NEW.story_id IS NOT NULL BEGIN
    UPDATE stories SET
        n_articles = (SELECT COUNT(*) FROM articles a WHERE a.story_id = NEW.story_id),
        n_outlets = (SELECT COUNT(DISTINCT NULLIF(a.source, '')) FROM articles a WHERE a.story_id = NEW.story_id)
    WHERE id = NEW.story_id;
END;
CREATE TRIGGER articles_count_update AFTER UPDATE OF story_id, source ON articles
WHEN OLD.story_id IS NOT NEW.story_id OR OLD.source IS NOT NEW.source BEGIN
    UPDATE stories SET
        n_articles = (SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id),
        n_outlets = (SELECT COUNT(DISTINCT NULLIF(a.source, '')) FROM articles a WHERE a.story_id = stories.id)
    WHERE id IN (OLD.story_id, NEW.story_id);
END;
CREATE TRIGGER articles_count_delete AFTER DELETE ON articles WHEN OLD.story_id IS NOT NULL BEGIN
    UPDATE stories SET
        n_articles = (SELECT COUNT(*) FROM articles a WHERE a.story_id = OLD.story_id),
        n_outlets = (SELECT COUNT(DISTINCT NULLIF(a.source, '')) FROM articles a WHERE a.story_id = OLD.story_id)
    WHERE id = OLD.story_id;
END;
CREATE TRIGGER claims_count_insert AFTER INSERT ON claims BEGIN
    UPDATE stories SET n_claims = n_claims + 1 WHERE id = NEW.story_id;
END;
CREATE TRIGGER claims_count_delete AFTER DELETE ON claims BEGIN
    UPDATE stories SET n_claims = n_claims - 1 WHERE id = OLD.story_id;
END;
CREATE TRIGGER claims_count_update AFTER UPDATE OF story_id ON claims WHEN OLD.story_id IS NOT NEW.story_id BEGIN
    UPDATE stories SET n_claims = n_claims - 1 WHERE id = OLD.story_id;
    UPDATE stories SET n_claims = n_claims + 1 WHERE id = NEW.story_id;
END;
-- One index per story-list order (queries._ORDER), so a page is read in index order and
-- stops at its LIMIT; they also cover the filter columns, and the total is a count over one.
CREATE INDEX stories_by_size ON stories(n_articles DESC, last_published DESC, id, first_published);
CREATE INDEX stories_by_recent ON stories(last_published DESC, n_articles DESC, id, first_published);
