-- Retention (flow.Retention): the purge finds what is due by these, in bounded batches.
CREATE INDEX acme_order_expires ON acme_order (expires_at);
CREATE INDEX acme_authz_expires ON acme_authz (expires_at);
CREATE INDEX acme_order_authz_authz ON acme_order_authz (authz_id);
CREATE INDEX acme_certificate_not_after ON acme_certificate (not_after);
