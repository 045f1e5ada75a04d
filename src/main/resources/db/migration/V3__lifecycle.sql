-- CA lifecycle: ACME Renewal Information (RFC 9773) and External Account Binding keys
-- (RFC 8555 §7.3.4).

-- Set when an operator asks every holder of the certificate to renew now; ARI then suggests
-- a window in the past.
ALTER TABLE acme_certificate ADD COLUMN renew_now_at TIMESTAMP WITH TIME ZONE;
-- The order that replaces this certificate ("replaces" in newOrder), once one does.
ALTER TABLE acme_certificate ADD COLUMN replaced_by VARCHAR(32);
CREATE INDEX acme_certificate_issuer ON acme_certificate (issuer_id, not_after);

-- The certificate an order replaces, as its ARI certificate identifier.
ALTER TABLE acme_order ADD COLUMN replaces VARCHAR(255);

CREATE TABLE acme_eab_key (
    key_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    hmac_key    VARCHAR(128) NOT NULL,
    label       VARCHAR(255),
    status      VARCHAR(16)  NOT NULL,
    account_id  VARCHAR(32),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at TIMESTAMP WITH TIME ZONE
);
