/**
 * The front end: thin JAX-RS resources (verify the JWS, call one flow method, render), the
 * {@link io.certapi.web.Links} that computes every URL, the response filter that adds
 * Replay-Nonce and Link rel="index", and the mappers that are the only writers of
 * application/problem+json. Imports {@code jws}, {@code flow}, {@code config} and {@code core},
 * and {@code ca} read-only to serve the CA certificates; nothing imports it.
 */
package io.certapi.web;
