/**
 * The vocabulary of certapi: statuses, identifiers, ACME problem types and the one exception
 * every layer throws. Imports nothing from Quarkus, JPA or JAX-RS, so that every other package
 * may depend on it.
 */
package io.certapi.core;
