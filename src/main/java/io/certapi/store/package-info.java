/**
 * Storage: Panache entities and their named finders, and the few statements that must be
 * atomic (compare-and-set updates, single-use nonce inserts). The only package importing
 * Panache. Imports {@code core} only.
 */
package io.certapi.store;
