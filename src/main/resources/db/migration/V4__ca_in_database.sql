-- The CA hierarchy lives in the database, so that every instance on it signs with the same
-- intermediate, sees a rotation at its next check and answers for every issuer's CRL and OCSP;
-- no instance needs another's files. The current root and intermediate are the setting
-- 'ca.current' in acme_setting, moved by compare-and-set.

-- A private key: wrapped under the key-encryption key named by kek_id (protection
-- 'aes-256-gcm'), or the name of a key held in an HSM (protection 'pkcs11').
CREATE TABLE acme_ca_key (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    protection  VARCHAR(16)   NOT NULL,
    kek_id      VARCHAR(32),
    content     VARCHAR(4000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every CA certificate ever made (old issuers keep signing their CRLs and OCSP answers); id is
-- the hex SHA-256 of the DER, key_id that of the public key.
CREATE TABLE acme_ca_certificate (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    key_id      VARCHAR(64)   NOT NULL REFERENCES acme_ca_key (id),
    pem         VARCHAR(8000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
