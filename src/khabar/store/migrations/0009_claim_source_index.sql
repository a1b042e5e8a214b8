-- 0009_claim_source_index: an entity page lists the claims the entity is a source of
-- (queries.entity_claim_members); without an index that was a scan of every claim member.
CREATE INDEX claim_members_source ON claim_members(source_entity, claim_id);
