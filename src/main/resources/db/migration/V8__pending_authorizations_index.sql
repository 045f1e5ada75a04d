-- The pending-authorizations-per-account limit counts an account's pending authorizations at
-- every newOrder; without this index the count read every authorization the account ever had.
CREATE INDEX acme_authz_pending ON acme_authz (account_id, status, expires_at);
