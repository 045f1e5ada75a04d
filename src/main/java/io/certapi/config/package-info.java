/**
 * Configuration: the one {@code certapi.*} mapping with its defaults, and the {@link java.time.Clock}
 * every time-dependent piece of code is given. May import {@code core} only.
 */
package io.certapi.config;
