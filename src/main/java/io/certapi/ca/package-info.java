/**
 * The only code that loads a CA private key or signs: the root and issuing intermediate created
 * at first start under {@code <data-dir>/ca}, leaf issuance, and the server's own HTTPS
 * certificate. Never touches the database; imports {@code core} and {@code config}.
 */
package io.certapi.ca;
