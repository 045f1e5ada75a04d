-- Certificate profiles: the profile an order asked for (RFC draft "ACME profiles", as Let's
-- Encrypt and Pebble implement it). NULL means the default profile.
ALTER TABLE acme_order ADD COLUMN profile VARCHAR(64);
