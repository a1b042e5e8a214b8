-- 0005_state_checkpoint: corpus state is checkpointed, not re-saved with every batch.
-- state.upto_seq: the last articles.seq the saved state covers; articles stored after
-- it are replayed through the corpus stages when a run opens the store. NULL (states
-- saved before this migration, with every batch): the state covers every article.
-- runs.embed: 1 when the run embedded leads (replay then reads the embedding cache),
-- 0 when it ran lexical, NULL for runs before this migration.
ALTER TABLE state ADD COLUMN upto_seq INTEGER;
ALTER TABLE runs ADD COLUMN embed INTEGER;
