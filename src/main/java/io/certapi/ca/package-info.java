/**
 * The only code that loads a CA private key or signs: the root and issuing intermediate kept
 * under {@code <data-dir>/ca}, their rotation and the cross-signing of a new root, leaf
 * issuance, CRLs and OCSP answers, and the server's own HTTPS certificate with the key manager
 * that hands it to every new connection. Never touches the database; imports {@code core} and
 * {@code config}.
 */
package io.certapi.ca;
