-- 0010_claims_stale: stories whose claims lag their articles (issue #9: time per 1,000 articles
-- flat as the store grows). A large story is regrouped when it has grown by a share since its
-- last regrouping, and every story listed here at the end of a run (Analyzer.checkpoint); a
-- run that dies leaves its rows, and the next run's end regroups them.
CREATE TABLE claims_stale (
    story_id TEXT PRIMARY KEY,
    n_grouped INTEGER NOT NULL  -- the story's article count at its last regrouping
);
