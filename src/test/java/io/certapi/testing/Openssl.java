package io.certapi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.ca.Pem;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The openssl command line as a relying party uses it: verify, crl, ocsp. */
public final class Openssl {

    private Openssl() {
    }

    public static Path write(Path dir, String name, X509Certificate... certs) throws Exception {
        return Files.writeString(dir.resolve(name), Pem.encode((Object[]) certs));
    }

    /** openssl verify of {@code chain} (leaf first) against {@code root} alone. */
    public static void verify(Path root, List<X509Certificate> chain, Path dir, String... options)
            throws Exception {
        Path leaf = write(dir, "verify-leaf.pem", chain.get(0));
        Path untrusted = write(dir, "verify-chain.pem",
                chain.subList(1, chain.size()).toArray(new X509Certificate[0]));
        List<String> args = new ArrayList<>(List.of("verify", "-no-CApath", "-no-CAstore"));
        args.addAll(List.of(options));
        args.addAll(List.of("-CAfile", root.toString(), "-untrusted", untrusted.toString(),
                leaf.toString()));
        String out = run(args.toArray(new String[0]));
        assertTrue(out.contains(": OK"), out);
    }

    /** Fetches a DER CRL, checks its signature with openssl against the issuer; its text. */
    public static String crl(String url, Path issuer, Path dir) throws Exception {
        byte[] der = RestAssured.given().get(url).then().statusCode(200)
                .contentType("application/pkix-crl").extract().asByteArray();
        Path file = Files.write(dir.resolve("crl.der"), der);
        String out = run("crl", "-inform", "DER", "-in", file.toString(), "-CAfile",
                issuer.toString(), "-noout", "-text");
        assertTrue(out.contains("verify OK"), out);
        return out;
    }

    /** Asks certapi's OCSP responder with openssl; the verified answer. */
    public static String ocsp(Path issuer, Path leaf, Path root, int port) throws Exception {
        String out = run("ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(),
                "-url", "http://localhost:" + port + "/ocsp", "-CAfile", root.toString(),
                "-verify_other", issuer.toString(), "-resp_text");
        assertTrue(out.contains("Response verify OK"), out);
        return out;
    }

    /** Runs openssl; its output and exit code, whatever they are. */
    public static Result attempt(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), out);
    }

    /** An openssl run's exit code and output. */
    public record Result(int exit, String output) {
    }

    /** Runs openssl; fails unless it exits 0. Its output. */
    public static String run(String... args) throws Exception {
        Result r = attempt(args);
        assertEquals(0, r.exit(), "openssl " + String.join(" ", args) + "\n" + r.output());
        return r.output();
    }
}
