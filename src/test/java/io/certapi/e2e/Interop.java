package io.certapi.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the interop suite checks of every file a client wrote, with openssl where it can. */
final class Interop {

    private Interop() {
    }

    /** A finished command. */
    record Result(int exit, String output) {
    }

    /** Runs a command, merging stderr into stdout, for at most five minutes. */
    static Result run(List<String> cmd, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close(); // No input: openssl s_client would wait for some.
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes()));
            } catch (IOException ignored) {
                // The process went away.
            }
        });
        reader.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        reader.join(5000);
        return new Result(p.isAlive() ? -1 : p.exitValue(), out.toString());
    }

    /** Runs a command that must succeed. */
    static String ok(List<String> cmd, Map<String, String> env) throws Exception {
        Result r = run(cmd, env);
        assertEquals(0, r.exit(), String.join(" ", cmd) + "\n" + r.output());
        return r.output();
    }

    /**
     * Checks a certificate file: it verifies with openssl up to {@code root} (intermediates from
     * {@code chain}, or from the file itself when it is a full chain), names exactly
     * {@code names}, is for the key in {@code keyFile} when given, and lives {@code lifetime}.
     */
    static X509Certificate check(Path root, Path cert, Path chain, Path keyFile,
            Duration lifetime, String... names) throws Exception {
        List<X509Certificate> all = readAll(cert);
        Path untrusted = chain;
        if (untrusted == null) {
            untrusted = Files.createTempFile(cert.getParent(), "chain", ".pem");
            Files.writeString(untrusted, Files.readString(cert));
        }
        ok(List.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted",
                untrusted.toString(), leafOnly(cert).toString()), Map.of());
        X509Certificate leaf = all.get(0);
        List<String> sans = new ArrayList<>();
        Collection<List<?>> alt = leaf.getSubjectAlternativeNames();
        alt.forEach(s -> sans.add(String.valueOf(s.get(1))));
        assertEquals(List.of(names), sans, "names of " + cert);
        assertEquals(lifetime, Duration.between(leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant()), "lifetime of " + cert);
        if (keyFile != null) {
            String certKey = ok(List.of("openssl", "x509", "-noout", "-pubkey", "-in",
                    leafOnly(cert).toString()), Map.of());
            String key = ok(List.of("openssl", "pkey", "-pubout", "-in", keyFile.toString()),
                    Map.of());
            assertEquals(certKey.trim(), key.trim(), "the certificate is for " + keyFile);
        }
        return leaf;
    }

    static List<X509Certificate> readAll(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(c -> out.add((X509Certificate) c));
            assertTrue(!out.isEmpty(), "no certificate in " + pem);
            return out;
        }
    }

    private static Path leafOnly(Path cert) throws IOException {
        String text = Files.readString(cert);
        int end = text.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length();
        Path leaf = cert.resolveSibling(cert.getFileName() + ".leaf");
        Files.writeString(leaf, text.substring(text.indexOf("-----BEGIN CERTIFICATE-----"), end)
                + "\n");
        return leaf;
    }

    /** Writes an executable shell script. */
    static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\nset -e\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
