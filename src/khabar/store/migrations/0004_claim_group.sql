-- 0004_claim_group: the organisation a claim member's source speaks for
-- (khabar.model.ClaimMember.source_group, from the speaker's role phrase:
-- "دميتري بيسكوف، المتحدث باسم الكرملين" -> "الكرملين"). NULL when none is known.
ALTER TABLE claim_members ADD COLUMN source_group TEXT;
