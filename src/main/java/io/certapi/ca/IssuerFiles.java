package io.certapi.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The CA's folder {@code <data-dir>/ca}. It now holds only {@code root.pem}, a copy of the
 * current root for clients to trust; the CA itself is in the database. Earlier versions kept the
 * whole hierarchy here, and this reads it once for the move into the database: certapi 0.1's
 * {@code root.key}, {@code intermediate.pem} and {@code intermediate.key}, or the later
 * {@code issuers/<id>.pem}, {@code keys/<SPKI SHA-256>.key} and {@code current}.
 */
final class IssuerFiles {

    /** What the files of an earlier version named: every CA certificate with its key. */
    record Found(Issuer root, Issuer intermediate, List<Issuer> all) {
    }

    private static final List<String> OLD = List.of("issuers", "keys", "current", "root.key",
            "intermediate.pem", "intermediate.key");

    private final Path dir;

    IssuerFiles(Path dir) {
        this.dir = dir;
    }

    Path rootPem() {
        return dir.resolve("root.pem");
    }

    /** Writes the current root's copy for clients, when it changed. */
    void exportRoot(Issuer root) {
        String pem = root.pem();
        if (!KeyFiles.read(rootPem()).map(pem::equals).orElse(false)) {
            KeyFiles.writePublic(rootPem(), pem);
        }
    }

    /** The hierarchy an earlier version left in this folder, if any. */
    Optional<Found> read() {
        Optional<String> current = KeyFiles.read(dir.resolve("current"));
        if (current.isPresent()) {
            return Optional.of(readIssuers(current.get()));
        }
        var rootCert = KeyFiles.read(rootPem());
        var rootKey = KeyFiles.read(dir.resolve("root.key"));
        var intCert = KeyFiles.read(dir.resolve("intermediate.pem"));
        var intKey = KeyFiles.read(dir.resolve("intermediate.key"));
        if (rootCert.isEmpty() || rootKey.isEmpty() || intCert.isEmpty() || intKey.isEmpty()) {
            return Optional.empty();
        }
        Issuer root = new Issuer(Pem.certificates(rootCert.get()).get(0),
                Pem.privateKey(rootKey.get()));
        Issuer intermediate = new Issuer(Pem.certificates(intCert.get()).get(0),
                Pem.privateKey(intKey.get()));
        return Optional.of(new Found(root, intermediate, List.of(root, intermediate)));
    }

    private Found readIssuers(String currentText) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(currentText));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String rootId = p.getProperty("root");
        String intermediateId = p.getProperty("intermediate");
        if (rootId == null || intermediateId == null) {
            throw new IllegalStateException(dir.resolve("current")
                    + " must name root= and intermediate=");
        }
        List<Issuer> all = new ArrayList<>();
        Path issuers = dir.resolve("issuers");
        try (DirectoryStream<Path> pems = Files.newDirectoryStream(issuers, "*.pem")) {
            for (Path f : pems) {
                X509Certificate c = Pem.certificates(Files.readString(f)).get(0);
                Path keyFile = dir.resolve("keys").resolve(
                        Issuer.keyIdOf(c.getPublicKey()) + ".key");
                PrivateKey key = KeyFiles.read(keyFile).map(Pem::privateKey).orElseThrow(() ->
                        new IllegalStateException("the CA certificate " + f + " has no key "
                                + keyFile));
                all.add(new Issuer(c, key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + issuers, e);
        }
        Issuer root = find(all, rootId);
        Issuer intermediate = find(all, intermediateId);
        return new Found(root, intermediate, List.copyOf(all));
    }

    private Issuer find(List<Issuer> all, String id) {
        return all.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalStateException(dir.resolve("current") + " names " + id
                        + ", which is not in " + dir.resolve("issuers")));
    }

    /** Moves the earlier version's files to {@code <data-dir>/ca-migrated}; returns it. */
    Path moveAside() {
        Path aside = dir.resolveSibling("ca-migrated");
        try {
            io.certapi.config.DataDirectory.createPrivate(aside);
            for (String name : OLD) {
                Path from = dir.resolve(name);
                if (Files.exists(from)) {
                    Path to = aside.resolve(name);
                    if (Files.exists(to)) {
                        to = aside.resolve(name + "." + System.currentTimeMillis());
                    }
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the old CA files to " + aside, e);
        }
        return aside;
    }
}
