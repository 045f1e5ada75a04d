/**
 * Validation: the only package that opens outbound connections (DNS lookups through the
 * configured resolver, http-01 fetches). It returns outcomes with a transcript and never writes
 * the database. Imports {@code core} and {@code config}.
 */
package io.certapi.validation;
