/**
 * The request gate: every POST passes {@link io.certapi.jws.JwsGate} before any flow runs. It
 * parses the flattened JWS strictly, checks each RFC 8555 §6 rule in order, verifies the
 * signature with jose4j and redeems the nonce. Imports {@code core}, {@code policy} (key policy)
 * and {@code store} (accounts and used nonces); never {@code web} or {@code flow}.
 */
package io.certapi.jws;
