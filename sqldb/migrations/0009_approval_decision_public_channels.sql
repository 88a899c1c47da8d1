-- An approval's decision records the approving department's opinion
-- (审批意见) and, when approved, the document number of its reply
-- (批复文号).
ALTER TABLE approvals ADD COLUMN opinion TEXT NOT NULL DEFAULT '';
ALTER TABLE approvals ADD COLUMN doc_no TEXT NOT NULL DEFAULT '';

-- An Open311 intake channel may be publicly readable: the public fields
-- of the requests filed through it are answered to keyless GETs
-- (GeoReport v2 defines no api_key on its GET resources).
ALTER TABLE intake_channels ADD COLUMN public_read BOOLEAN NOT NULL DEFAULT FALSE;
