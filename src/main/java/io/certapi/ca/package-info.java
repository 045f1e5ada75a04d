/**
 * The only code that loads a CA private key or signs: the root and issuing intermediate kept
 * under {@code <data-dir>/ca}, their rotation and the cross-signing of a new root, leaf
 * issuance, CRLs and OCSP answers, and the server's own HTTPS certificate with the key manager
 * that hands it to every new connection. Never touches the database, except to check that it
 * can be reached before a first start creates the CA ({@code store.DatabaseCheck}); imports
 * {@code core}, {@code config} and that check.
 */
package io.certapi.ca;
