-- certapi initial schema. Runs unchanged on H2 2.x and PostgreSQL: tables are prefixed acme_
-- and no column is named after a reserved word (key, value, user, order).

CREATE TABLE acme_setting (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    content     VARCHAR(4000) NOT NULL
);

CREATE TABLE acme_used_nonce (
    nonce       VARCHAR(128)  NOT NULL PRIMARY KEY,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX acme_used_nonce_expires ON acme_used_nonce (expires_at);

CREATE TABLE acme_account (
    id              VARCHAR(32)   NOT NULL PRIMARY KEY,
    status          VARCHAR(16)   NOT NULL,
    jwk             VARCHAR(4000) NOT NULL,
    key_thumbprint  VARCHAR(64)   NOT NULL,
    contacts        VARCHAR(4000) NOT NULL,
    terms_agreed    BOOLEAN       NOT NULL,
    eab_key_id      VARCHAR(128),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT acme_account_thumbprint_uk UNIQUE (key_thumbprint)
);

CREATE TABLE acme_authz (
    id               VARCHAR(32)  NOT NULL PRIMARY KEY,
    account_id       VARCHAR(32)  NOT NULL REFERENCES acme_account (id),
    identifier_type  VARCHAR(8)   NOT NULL,
    identifier_value VARCHAR(255) NOT NULL,
    wildcard         BOOLEAN      NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX acme_authz_account ON acme_authz (account_id, identifier_type, identifier_value);

CREATE TABLE acme_challenge (
    id              VARCHAR(32)   NOT NULL PRIMARY KEY,
    authz_id        VARCHAR(32)   NOT NULL REFERENCES acme_authz (id),
    challenge_type  VARCHAR(16)   NOT NULL,
    token           VARCHAR(64)   NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    validated_at    TIMESTAMP WITH TIME ZONE,
    error           VARCHAR(8000),
    validation      VARCHAR(16000),
    attempts        INTEGER       NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    claimed_until   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX acme_challenge_authz ON acme_challenge (authz_id);
CREATE INDEX acme_challenge_work ON acme_challenge (status, next_attempt_at);

CREATE TABLE acme_order (
    id              VARCHAR(32)   NOT NULL PRIMARY KEY,
    account_id      VARCHAR(32)   NOT NULL REFERENCES acme_account (id),
    status          VARCHAR(16)   NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    not_before      TIMESTAMP WITH TIME ZONE,
    not_after       TIMESTAMP WITH TIME ZONE,
    identifiers     VARCHAR(16000) NOT NULL,
    error           VARCHAR(8000),
    csr             VARCHAR(16000),
    certificate_id  VARCHAR(32),
    issue_at        TIMESTAMP WITH TIME ZONE,
    claimed_until   TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX acme_order_account ON acme_order (account_id, created_at);
CREATE INDEX acme_order_work ON acme_order (status, issue_at);

CREATE TABLE acme_order_authz (
    order_id   VARCHAR(32) NOT NULL REFERENCES acme_order (id),
    position   INTEGER     NOT NULL,
    authz_id   VARCHAR(32) NOT NULL REFERENCES acme_authz (id),
    PRIMARY KEY (order_id, position)
);

CREATE TABLE acme_certificate (
    id                 VARCHAR(32)    NOT NULL PRIMARY KEY,
    account_id         VARCHAR(32)    NOT NULL REFERENCES acme_account (id),
    order_id           VARCHAR(32)    NOT NULL,
    serial             VARCHAR(64)    NOT NULL,
    issuer_id          VARCHAR(64)    NOT NULL,
    pem_chain          VARCHAR(16000) NOT NULL,
    key_hash           VARCHAR(64)    NOT NULL,
    not_before         TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after          TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at         TIMESTAMP WITH TIME ZONE,
    revocation_reason  INTEGER,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT acme_certificate_serial_uk UNIQUE (serial)
);
CREATE INDEX acme_certificate_key ON acme_certificate (key_hash);
