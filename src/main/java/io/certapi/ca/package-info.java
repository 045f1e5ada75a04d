/**
 * The only code that loads a CA private key or signs: the root and issuing intermediate, their
 * rotation and the cross-signing of a new root, leaf issuance, CRLs and OCSP answers, and the
 * server's own HTTPS certificate with the key manager that hands it to every new connection.
 * The hierarchy is kept through {@link io.certapi.ca.CaRecords} (implemented in {@code store}:
 * this package never touches the database itself), its private keys protected by a
 * {@link io.certapi.ca.KeyVault}: wrapped under a key-encryption key, or held in an HSM over
 * PKCS#11. Imports {@code core} and {@code config}.
 */
package io.certapi.ca;
