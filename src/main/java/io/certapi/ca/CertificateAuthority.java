package io.certapi.ca;

import io.certapi.config.CertapiConfig;
import io.certapi.config.PublicUrls;
import io.certapi.core.Identifier;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * certapi's own CA: a root and an issuing intermediate, created at first start, kept in the
 * database ({@link CaRecords}, keys protected by a {@link KeyVault}), and replaced by
 * {@link #rotateIntermediate} and {@link #rotateRoot} while the server runs; every instance on
 * the same database picks a rotation up at its next {@link #refresh}. A hierarchy that an
 * earlier version kept in files under {@code <data-dir>/ca} is moved into the database at the
 * first start. Signing needs no lock: each call reads the current hierarchy once and signs with
 * it; old issuers stay stored and keep signing their CRLs and OCSP answers.
 */
@ApplicationScoped
@Startup
public class CertificateAuthority {

    private static final Logger LOG = Logger.getLogger(CertificateAuthority.class);

    private final CertapiConfig config;
    private final Clock clock;
    private final String revocationUrl;
    private final Path dir;
    private final IssuerFiles files;
    private final CaRecords records;
    private final KeyVault vault;
    private final Map<String, Issuer> keyed = new ConcurrentHashMap<>();
    private volatile State state;

    /** What is in use, and every CA certificate known, read together. */
    private record State(CaRecords.Current current, Issuer root, Issuer intermediate,
            Map<String, X509Certificate> all, Map<String, Chains> chains) {
    }

    /** The chains above one issuer, good until the first certificate in them expires. */
    private record Chains(List<List<X509Certificate>> paths, Instant until) {
    }

    /** A CA certificate just made, with the rows that store it. */
    private record Made(Issuer issuer, CaRecords.KeyRow key, CaRecords.CertificateRow row) {
    }

    /**
     * One CA certificate, as the admin API lists it.
     *
     * @param id        hex SHA-256 of its DER
     * @param role      root, cross-signed root or intermediate
     * @param subject   its subject
     * @param issuer    its issuer's subject
     * @param notBefore validity start
     * @param notAfter  validity end
     * @param current   whether it is the root or intermediate in use
     * @param pem       the certificate
     */
    public record CaCertificate(String id, String role, String subject, String issuer,
            Instant notBefore, Instant notAfter, boolean current, String pem) {
    }

    /** Loads the hierarchy from the database, creating (or importing) it on first start. */
    public CertificateAuthority(CertapiConfig config, Clock clock, PublicUrls urls,
            CaRecords records, KeyVault vault) {
        this.config = config;
        this.clock = clock;
        this.revocationUrl = urls.revocationBase();
        this.records = records;
        this.vault = vault;
        this.dir = Path.of(config.dataDir(), "ca");
        this.files = new IssuerFiles(dir);
        checkRenewalSettings(config.ca());
        Optional<CaRecords.Current> stored = records.current();
        vault.prepare(stored.isEmpty());
        if (stored.isEmpty()) {
            createOrImport();
        } else {
            files.read().ifPresent(this::retireFiles);
        }
        this.state = load();
        LOG.infof("CA loaded: root %s, issuing with %s", state.root(), state.intermediate());
        // Expired while the server was down: nothing could be signed until the first scheduled
        // check, so replace it now (a merely due one waits for the check and its lease).
        Instant now = clock.instant();
        if (!now.isBefore(state.root().certificate().getNotAfter().toInstant())) {
            rotateRoot("expired while the server was stopped");
        } else if (!now.isBefore(state.intermediate().certificate().getNotAfter().toInstant())) {
            rotateIntermediate("expired while the server was stopped");
        }
    }

    private static void checkRenewalSettings(CertapiConfig.Ca ca) {
        if (ca.intermediate().renewBefore().compareTo(ca.intermediate().lifetime()) >= 0
                || ca.root().renewBefore().compareTo(ca.root().lifetime()) >= 0
                || ca.https().renewBefore().compareTo(ca.https().lifetime()) >= 0) {
            throw new IllegalArgumentException("certapi.ca.*.renew-before must be shorter than"
                    + " the matching certapi.ca.*.lifetime");
        }
        // A certificate never outlives its issuer: were the renewal lead of an issuer shorter
        // than that of what it signs, a fresh certificate could be due as soon as it is made.
        if (ca.root().renewBefore().compareTo(ca.intermediate().renewBefore()) <= 0) {
            throw new IllegalArgumentException("certapi.ca.root.renew-before must be longer than"
                    + " certapi.ca.intermediate.renew-before");
        }
        if (ca.intermediate().renewBefore().compareTo(ca.https().renewBefore()) <= 0) {
            throw new IllegalArgumentException("certapi.ca.intermediate.renew-before must be"
                    + " longer than certapi.ca.https.renew-before");
        }
    }

    /** The root certificate in use. */
    public X509Certificate root() {
        return state.root().certificate();
    }

    /** The current issuing intermediate. */
    public Issuer currentIssuer() {
        return state.intermediate();
    }

    /**
     * Whether {@code id} is the intermediate in use: this instance's, or, before this instance
     * has picked up a rotation another one made, the database's.
     */
    public boolean isCurrentIntermediate(String id) {
        return id.equals(state.intermediate().id()) || records.current()
                .map(c -> c.intermediateId().equals(id)).orElse(false);
    }

    /** A CA certificate with its key, by id; empty when unknown. */
    public Optional<Issuer> issuer(String id) {
        Issuer cached = keyed.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (!id.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return records.certificate(id).flatMap(row -> records.key(row.keyId())
                .map(k -> keyed.computeIfAbsent(id, x ->
                        new Issuer(Pem.certificates(row.pem()).get(0), vault.open(k)))));
    }

    /**
     * The intermediates whose certificates may still be unexpired: the current one first, then
     * every earlier one that has not expired itself (a certificate never outlives its issuer).
     */
    public List<Issuer> intermediatesInUse() {
        State s = state;
        Instant now = clock.instant();
        List<Issuer> out = new ArrayList<>(List.of(s.intermediate()));
        s.all().forEach((id, c) -> {
            if (isIntermediate(c) && c.getNotAfter().toInstant().isAfter(now)
                    && !c.equals(s.intermediate().certificate())) {
                issuer(id).ifPresent(out::add);
            }
        });
        return out;
    }

    /** Every CA certificate, newest first. */
    public List<CaCertificate> hierarchy() {
        State s = state;
        return s.all().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, X509Certificate> e) ->
                        e.getValue().getNotBefore()).reversed())
                .map(e -> {
                    X509Certificate c = e.getValue();
                    return new CaCertificate(e.getKey(), role(c),
                            c.getSubjectX500Principal().getName(),
                            c.getIssuerX500Principal().getName(),
                            c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                            c.equals(s.root().certificate())
                                    || c.equals(s.intermediate().certificate()),
                            Pem.encode(c));
                }).toList();
    }

    private static String role(X509Certificate c) {
        if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return "root";
        }
        return isIntermediate(c) ? "intermediate" : "cross-signed root";
    }

    /** An issuing intermediate: a CA that may sign leaves only (pathLen 0). */
    private static boolean isIntermediate(X509Certificate c) {
        return c.getBasicConstraints() == 0;
    }

    /**
     * The chains that can follow a leaf of issuer {@code issuerId}: the issuer, then any
     * certificates up to (not including) a self-signed root, for every unexpired path. The
     * longest, which reaches the oldest root, comes first: it is the default download, as it
     * works for clients that trust either root; the others are offered as alternates.
     */
    public List<List<X509Certificate>> chains(String issuerId) {
        State s = state;
        Instant now = clock.instant();
        Chains cached = s.chains().get(issuerId);
        if (cached == null || now.isAfter(cached.until())) {
            cached = buildChains(s.all(), issuerId, now);
            s.chains().put(issuerId, cached);
        }
        return cached.paths();
    }

    private static Chains buildChains(Map<String, X509Certificate> all, String issuerId,
            Instant now) {
        X509Certificate issuer = all.get(issuerId);
        if (issuer == null) {
            return new Chains(List.of(), Instant.MAX);
        }
        List<List<X509Certificate>> out = new ArrayList<>();
        paths(issuer, new ArrayList<>(), all.values(), now, out);
        out.sort(Comparator.comparingInt((List<X509Certificate> l) -> l.size()).reversed());
        if (out.isEmpty()) {
            out.add(List.of(issuer));
        }
        Instant until = out.stream().flatMap(List::stream)
                .map(c -> c.getNotAfter().toInstant()).min(Comparator.naturalOrder())
                .orElse(Instant.MAX);
        return new Chains(List.copyOf(out), until);
    }

    private static void paths(X509Certificate c, List<X509Certificate> above,
            java.util.Collection<X509Certificate> all, Instant now,
            List<List<X509Certificate>> out) {
        if (above.size() > 4) {
            return;
        }
        List<X509Certificate> path = new ArrayList<>(above);
        path.add(c);
        for (X509Certificate parent : all) {
            if (!parent.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                    || parent.getNotAfter().toInstant().isBefore(now) || !signs(parent, c)) {
                continue;
            }
            if (parent.getSubjectX500Principal().equals(parent.getIssuerX500Principal())) {
                out.add(List.copyOf(path));
            } else if (!path.contains(parent)) {
                paths(parent, path, all, now, out);
            }
        }
    }

    private static boolean signs(X509Certificate parent, X509Certificate child) {
        try {
            child.verify(parent.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Signs a leaf with the current intermediate. Its notAfter never passes the issuer's: an
     * intermediate is rotated well before that (certapi.ca.intermediate.renew-before).
     */
    public IssuedCertificate issue(LeafRequest request) {
        Issuer issuer = state.intermediate();
        Instant issuerEnd = issuer.certificate().getNotAfter().toInstant();
        if (!request.notBefore().isBefore(issuerEnd)) {
            throw new IllegalStateException("the issuing intermediate " + issuer
                    + " ends before the certificate would start");
        }
        LeafRequest bounded = request.notAfter().isAfter(issuerEnd)
                ? request.endingAt(issuerEnd) : request;
        BigInteger serial = Certificates.randomSerial();
        String issuerId = issuer.id();
        X509Certificate leaf = Certificates.leaf(issuer, bounded, serial, issuerUrl(issuerId),
                crlUrl(issuerId), config.ocsp().enabled() ? revocationUrl + "/ocsp" : null);
        List<Object> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(chains(issuerId).get(0));
        return new IssuedCertificate(leaf, Pem.encode(chain.toArray()),
                HexFormat.of().formatHex(serial.toByteArray()), issuerId);
    }

    /** The URL of an issuer's CRL, as written in the certificates it signs. */
    public String crlUrl(String issuerId) {
        return revocationUrl + "/crl/" + issuerId;
    }

    /** The URL of an issuer's certificate (DER), as written in the AIA of what it signs. */
    public String issuerUrl(String issuerId) {
        return revocationUrl + "/issuers/" + issuerId;
    }

    /** A CRL of {@code issuer}, valid from {@code now} for certapi.crl.validity. */
    public byte[] crl(Issuer issuer, List<RevocationSigner.Revoked> revoked, Instant now) {
        return RevocationSigner.crl(issuer, revoked, now, now.plus(config.crl().validity()));
    }

    /**
     * An OCSP response to {@code request}, signed by whichever of {@code issuers} issued the
     * certificates asked about; {@code lookup} gets the issuer's id and the serial.
     */
    public byte[] ocsp(byte[] request, List<Issuer> issuers, Instant now, BiFunction<String,
            BigInteger, Optional<Optional<RevocationSigner.Revoked>>> lookup) {
        return RevocationSigner.ocsp(issuers, request, now, now.plus(config.ocsp().validity()),
                lookup);
    }

    /** The path of the root certificate clients are told to trust (a copy of the current). */
    public Path rootPemPath() {
        return files.rootPem();
    }

    /** When the current intermediate is due for replacement. */
    public Instant intermediateRenewalAt() {
        return state.intermediate().certificate().getNotAfter().toInstant()
                .minus(config.ca().intermediate().renewBefore());
    }

    /** When the current root is due for replacement. */
    public Instant rootRenewalAt() {
        return state.root().certificate().getNotAfter().toInstant()
                .minus(config.ca().root().renewBefore());
    }

    /**
     * Re-reads which root and intermediate are current, for a rotation another instance on the
     * same database made. Returns whether anything changed.
     */
    public synchronized boolean refresh() {
        CaRecords.Current current = records.current().orElseThrow();
        if (current.equals(state.current())) {
            return false;
        }
        state = load();
        LOG.infof("CA reloaded: root %s, issuing with %s", state.root(), state.intermediate());
        return true;
    }

    /** Replaces the intermediate with a new one under the current root; returns it. */
    public synchronized Issuer rotateIntermediate(String why) {
        State s = state;
        Made next = newIntermediate(s.root());
        if (!records.commit(List.of(next.key()), List.of(next.row()), Optional.of(s.current()),
                new CaRecords.Current(s.root().id(), next.issuer().id()))) {
            return lostRace("intermediate");
        }
        state = load();
        LOG.infof("CA intermediate rotated (%s): %s replaces %s", why, next.issuer(),
                s.intermediate());
        return next.issuer();
    }

    /**
     * Replaces the root: a new self-signed root, cross-signed by the old one for clients that
     * trust only it, and a new intermediate under the new root. Returns the new root.
     */
    public synchronized Issuer rotateRoot(String why) {
        State s = state;
        Made newRoot = newRoot();
        Instant now = clock.instant();
        Instant crossEnd = min(s.root().certificate().getNotAfter().toInstant(),
                newRoot.issuer().certificate().getNotAfter().toInstant());
        X509Certificate cross = Certificates.crossSign(s.root(),
                newRoot.issuer().certificate(), now.minus(Duration.ofMinutes(1)), crossEnd);
        Made next = newIntermediate(newRoot.issuer());
        if (!records.commit(List.of(newRoot.key(), next.key()), List.of(newRoot.row(),
                row(cross), next.row()), Optional.of(s.current()),
                new CaRecords.Current(newRoot.issuer().id(), next.issuer().id()))) {
            lostRace("root");
            return state.root();
        }
        state = load();
        LOG.infof("CA root rotated (%s): %s replaces %s, cross-signed by it until %s; issuing"
                + " with %s", why, newRoot.issuer(), s.root(), crossEnd, next.issuer());
        return newRoot.issuer();
    }

    /** Another instance moved the current pointer first: use what it made. */
    private Issuer lostRace(String what) {
        LOG.infof("CA %s rotation not stored: another instance rotated first; using its CA",
                what);
        state = load();
        return state.intermediate();
    }

    /** First start: the hierarchy of an earlier version's files, or a new one. */
    private void createOrImport() {
        Optional<IssuerFiles.Found> old = files.read();
        if (old.isPresent()) {
            IssuerFiles.Found found = old.get();
            List<CaRecords.KeyRow> keys = new ArrayList<>();
            List<CaRecords.CertificateRow> rows = new ArrayList<>();
            for (Issuer i : found.all()) {
                String keyId = Issuer.keyIdOf(i.certificate().getPublicKey());
                if (keys.stream().noneMatch(k -> k.id().equals(keyId))) {
                    keys.add(vault.protect(keyId, i.key(), i.certificate()));
                }
                rows.add(row(i.certificate()));
            }
            if (records.commit(keys, rows, Optional.empty(), new CaRecords.Current(
                    found.root().id(), found.intermediate().id()))) {
                LOG.infof("CA of an earlier version moved from %s into the database (%d"
                        + " certificates)", dir, rows.size());
                retireFiles(found);
            }
            return;
        }
        Made root = newRoot();
        Made intermediate = newIntermediate(root.issuer());
        if (records.commit(List.of(root.key(), intermediate.key()), List.of(root.row(),
                intermediate.row()), Optional.empty(), new CaRecords.Current(root.issuer().id(),
                        intermediate.issuer().id()))) {
            LOG.infof("CA created; clients trust %s", files.rootPem().toAbsolutePath());
        } else {
            LOG.info("CA created by another instance at the same time; using that one");
        }
    }

    /**
     * Files of an earlier version's CA, once the database holds what they hold: moved aside,
     * so that no one takes them for the CA in use (a copy of {@code ca/} on another instance
     * included). A folder holding another CA is left alone, and the log says so.
     */
    private void retireFiles(IssuerFiles.Found found) {
        boolean stored = found.all().stream()
                .allMatch(i -> records.certificate(i.id()).isPresent());
        if (!stored) {
            LOG.warnf("%s holds CA files of another hierarchy than the database's; the database's"
                    + " CA is used and the files are left as they are", dir);
            return;
        }
        Path aside = files.moveAside();
        LOG.warnf("the CA is now kept in the database; the files it was read from are in %s,"
                + " private keys included: delete them once you have a backup of the database"
                + " and of the key-encryption key", aside);
    }

    private State load() {
        CaRecords.Current current = records.current().orElseThrow(() ->
                new IllegalStateException("the database holds no CA"));
        Map<String, X509Certificate> all = new java.util.LinkedHashMap<>();
        for (CaRecords.CertificateRow row : records.certificates()) {
            all.put(row.id(), Pem.certificates(row.pem()).get(0));
        }
        Issuer root = issuer(current.rootId()).orElseThrow(() -> new IllegalStateException(
                "the current root " + current.rootId() + " is missing from the database"));
        Issuer intermediate = issuer(current.intermediateId()).orElseThrow(() ->
                new IllegalStateException("the current intermediate "
                        + current.intermediateId() + " is missing from the database"));
        files.exportRoot(root);
        return new State(current, root, intermediate, Map.copyOf(all),
                new ConcurrentHashMap<>());
    }

    private Made newRoot() {
        Instant now = clock.instant();
        KeyPair keys = vault.generate("secp384r1");
        X509Certificate cert = Certificates.root(keys, config.ca().name() + " Root CA "
                + suffix(), now.minus(Duration.ofMinutes(1)), now.plus(config.ca().root()
                        .lifetime()));
        Made made = made(keys, cert);
        LOG.infof("CA root created: %s", made.issuer());
        return made;
    }

    private Made newIntermediate(Issuer root) {
        Instant now = clock.instant();
        KeyPair keys = vault.generate("secp256r1");
        X509Certificate cert = Certificates.intermediate(root, keys.getPublic(),
                config.ca().name() + " Intermediate " + suffix(), now.minus(Duration.ofMinutes(1)),
                min(now.plus(config.ca().intermediate().lifetime()),
                        root.certificate().getNotAfter().toInstant()));
        Made made = made(keys, cert);
        LOG.infof("CA intermediate created: %s", made.issuer());
        return made;
    }

    private Made made(KeyPair keys, X509Certificate cert) {
        String keyId = Issuer.keyIdOf(keys.getPublic());
        return new Made(new Issuer(cert, keys.getPrivate()),
                vault.protect(keyId, keys.getPrivate(), cert), row(cert));
    }

    private static CaRecords.CertificateRow row(X509Certificate cert) {
        return new CaRecords.CertificateRow(Issuer.idOf(cert),
                Issuer.keyIdOf(cert.getPublicKey()), Pem.encode(cert));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Issues the server's own HTTPS certificate: DNS name plus both loopback addresses. */
    HttpsMaterial issueHttps() {
        KeyPair keys = Certificates.ecKeyPair("secp256r1");
        Instant now = clock.instant();
        List<Identifier> names = List.of(Identifier.dns(config.domain()),
                new Identifier(Identifier.IP, "127.0.0.1"), new Identifier(Identifier.IP, "::1"));
        IssuedCertificate issued = issue(new LeafRequest(keys.getPublic(), names,
                now.minus(config.certificate().backdate()), now.plus(config.ca().https()
                        .lifetime())));
        return new HttpsMaterial(issued.pemChain(), Pem.privateKey(keys.getPrivate()),
                issued.certificate().getNotAfter().toInstant());
    }

    private static String suffix() {
        return HexFormat.of().formatHex(Certificates.randomSerial().toByteArray(), 0, 3);
    }

    /** An HTTPS certificate chain and key, PEM. */
    record HttpsMaterial(String chainPem, String keyPem, Instant notAfter) {
    }
}
