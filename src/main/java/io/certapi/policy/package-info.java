/**
 * What certapi refuses: weak or malformed keys, bad identifiers, unacceptable CSRs. Pure
 * functions over JDK and BouncyCastle types; imports {@code core} only.
 */
package io.certapi.policy;
