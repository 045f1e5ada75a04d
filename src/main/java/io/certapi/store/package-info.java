/**
 * Storage: Panache entities and their named finders, and the few statements that must be
 * atomic (compare-and-set updates, single-use nonce inserts). The only package importing
 * Panache. Imports {@code core}, and {@code ca} only for the {@code CaRecords} interface it
 * implements (the CA says what it needs kept; this package keeps it).
 */
package io.certapi.store;
