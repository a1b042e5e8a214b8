-- 0003_story_merges: a story merged into an older one keeps its row (old links still resolve).
ALTER TABLE stories ADD COLUMN merged_into TEXT;
