package io.certapi.ca;

import java.util.List;
import java.util.Optional;

/**
 * Where the CA hierarchy is kept: every CA certificate ever made, every CA private key (in the
 * form a {@link KeyVault} gave it: wrapped, or the name of a key in an HSM), and which root and
 * intermediate are current. It lives in the database, so that every instance on it signs with
 * the same intermediate, sees a rotation at its next check and can answer for every issuer; no
 * instance needs another's files. {@code store} implements it; the CA never sees the database.
 */
public interface CaRecords {

    /** The root and the intermediate in use, by certificate id. */
    record Current(String rootId, String intermediateId) {
    }

    /**
     * A CA certificate.
     *
     * @param id    hex SHA-256 of its DER
     * @param keyId hex SHA-256 of its public key (SPKI): the key that signs with it
     * @param pem   the certificate
     */
    record CertificateRow(String id, String keyId, String pem) {
    }

    /**
     * A CA private key as stored.
     *
     * @param id         hex SHA-256 of the public key (SPKI)
     * @param protection how {@code content} protects it ({@link KeyVault#protection()})
     * @param kekId      which key-encryption key wrapped it, when one did
     * @param content    the wrapped key, or the HSM's name for it
     */
    record KeyRow(String id, String protection, Optional<String> kekId, String content) {
    }

    /** What is current; empty before the first CA is made. */
    Optional<Current> current();

    /** Every CA certificate. */
    List<CertificateRow> certificates();

    /** One CA certificate by id. */
    Optional<CertificateRow> certificate(String id);

    /** One CA key by id. */
    Optional<KeyRow> key(String id);

    /** The protection and key-encryption key of every stored key, to check them at start. */
    List<KeyRow> keys();

    /**
     * Adds {@code keys} and {@code certificates} (those already stored are kept as they are) and
     * moves the current pointer from {@code expected} (empty: none yet) to {@code next}, in one
     * transaction. Returns false, having changed nothing, when the pointer was no longer
     * {@code expected}: another instance got there first.
     */
    boolean commit(List<KeyRow> keys, List<CertificateRow> certificates,
            Optional<Current> expected, Current next);
}
