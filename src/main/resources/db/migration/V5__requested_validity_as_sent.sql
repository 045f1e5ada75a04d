-- An order echoes the notBefore and notAfter its client asked for, to the nanosecond (RFC 8555
-- §7.1.3): a TIMESTAMP column keeps only microseconds on PostgreSQL, so they are kept as the
-- RFC 3339 text of the instant asked for. Earlier rows are carried over as the database prints
-- them, which the entity reads as well.
ALTER TABLE acme_order ADD COLUMN requested_not_before VARCHAR(40);
ALTER TABLE acme_order ADD COLUMN requested_not_after VARCHAR(40);
UPDATE acme_order SET requested_not_before = CAST(not_before AS VARCHAR(40))
    WHERE not_before IS NOT NULL;
UPDATE acme_order SET requested_not_after = CAST(not_after AS VARCHAR(40))
    WHERE not_after IS NOT NULL;
ALTER TABLE acme_order DROP COLUMN not_before;
ALTER TABLE acme_order DROP COLUMN not_after;
