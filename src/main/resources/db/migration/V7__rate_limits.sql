-- Rate limits (flow.RateLimits): token buckets every instance shares, and per-account
-- overrides set through the admin API.

-- One bucket per limit and subject ("new-orders-per-account:<account id>"): how much of the
-- limit was in use when it was last touched; that drains at count/period from then on, and a
-- request fits while it stays within count (so that a changed count applies at once). A
-- bucket untouched for longer than its period is empty again and is purged.
CREATE TABLE acme_rate_bucket (
    bucket_key  VARCHAR(320)  NOT NULL PRIMARY KEY,
    used        DOUBLE PRECISION NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX acme_rate_bucket_updated ON acme_rate_bucket (updated_at);

-- An account's own value of a limit: "<count>/<period>" as in the configuration.
CREATE TABLE acme_rate_override (
    override_key VARCHAR(128) NOT NULL PRIMARY KEY,
    account_id   VARCHAR(32)  NOT NULL,
    limit_name   VARCHAR(64)  NOT NULL,
    rate         VARCHAR(64)  NOT NULL
);
CREATE INDEX acme_rate_override_account ON acme_rate_override (account_id);
