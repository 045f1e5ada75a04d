package io.certapi.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The CA's files under {@code <data-dir>/ca}. Every CA certificate ever made stays in
 * {@code issuers/<id>.pem} (so that old issuers keep signing CRLs and OCSP answers), every
 * private key in {@code keys/<SPKI SHA-256>.key} (mode 0600; a root and its cross-signed twin
 * share one), and the one small file {@code current} names the root and the intermediate in
 * use: replacing it is the atomic step of a rotation, and other instances sharing the folder
 * pick the change up by reading it. {@code root.pem} is a copy of the current root for clients.
 */
final class IssuerFiles {

    private final Path dir;

    IssuerFiles(Path dir) {
        this.dir = dir;
    }

    /** The ids of the current root and intermediate, as last written. */
    record Current(String rootId, String intermediateId) {
    }

    Path rootPem() {
        return dir.resolve("root.pem");
    }

    Optional<Current> readCurrent() {
        return KeyFiles.read(dir.resolve("current")).map(text -> {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String root = p.getProperty("root");
            String intermediate = p.getProperty("intermediate");
            if (root == null || intermediate == null) {
                throw new IllegalStateException(dir.resolve("current")
                        + " must name root= and intermediate=");
            }
            return new Current(root, intermediate);
        });
    }

    /** Makes {@code root} and {@code intermediate} current: one atomic file replacement. */
    void writeCurrent(Issuer root, Issuer intermediate) {
        KeyFiles.writePublic(rootPem(), root.pem());
        Properties p = new Properties();
        p.setProperty("root", root.id());
        p.setProperty("intermediate", intermediate.id());
        StringWriter out = new StringWriter();
        try {
            p.store(out, "certapi: the CA certificates in use (ids name files in issuers/)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeyFiles.writePublic(dir.resolve("current"), out.toString());
    }

    /** Stores a CA certificate under its id. */
    void saveCertificate(X509Certificate certificate) {
        KeyFiles.writePublic(dir.resolve("issuers").resolve(Issuer.idOf(certificate) + ".pem"),
                Pem.encode(certificate));
    }

    /** Stores a private key under its public key's hash; written before any certificate of it. */
    void saveKey(PublicKey publicKey, PrivateKey key) {
        KeyFiles.writeSecret(keyFile(publicKey), Pem.privateKey(key));
    }

    Optional<X509Certificate> certificate(String id) {
        if (!id.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return KeyFiles.read(dir.resolve("issuers").resolve(id + ".pem"))
                .map(pem -> Pem.certificates(pem).get(0));
    }

    Optional<PrivateKey> key(PublicKey publicKey) {
        return KeyFiles.read(keyFile(publicKey)).map(Pem::privateKey);
    }

    /** Every stored CA certificate. */
    List<X509Certificate> all() {
        Path issuers = dir.resolve("issuers");
        List<X509Certificate> out = new ArrayList<>();
        if (!Files.isDirectory(issuers)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(issuers, "*.pem")) {
            for (Path f : files) {
                out.add(Pem.certificates(Files.readString(f)).get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + issuers, e);
        }
        return out;
    }

    /**
     * The hierarchy of certapi 0.1 (root.key, intermediate.pem, intermediate.key beside
     * root.pem), when this folder still has it and no {@code current} file.
     */
    Optional<Issuer[]> legacy() {
        var rootCert = KeyFiles.read(rootPem());
        var rootKey = KeyFiles.read(dir.resolve("root.key"));
        var intCert = KeyFiles.read(dir.resolve("intermediate.pem"));
        var intKey = KeyFiles.read(dir.resolve("intermediate.key"));
        if (rootCert.isEmpty() || rootKey.isEmpty() || intCert.isEmpty() || intKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Issuer[] {
            new Issuer(Pem.certificates(rootCert.get()).get(0), Pem.privateKey(rootKey.get())),
            new Issuer(Pem.certificates(intCert.get()).get(0), Pem.privateKey(intKey.get()))});
    }

    private Path keyFile(PublicKey publicKey) {
        try {
            return dir.resolve("keys").resolve(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded())) + ".key");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
