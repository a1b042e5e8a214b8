-- 0011_claim_vectors: embeddings of claims' canonical texts, for "check a claim" (khabar.retrieve).
-- One row per claim: text_hash is Embedder.key(claims.text) when the vector was made (sha256 of the
-- model variant and the truncated text), so a vector whose claim was reworded is known stale; vector
-- is float32 little-endian bytes, L2-normalised (384 values for multilingual-e5-small). Rows go with
-- their claim (ON DELETE CASCADE: Store.replace_claims deletes a changed claim and inserts it again).
-- Filled by `khabar index claims` and lazily by `khabar check`.
CREATE TABLE claim_vectors (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL
);
