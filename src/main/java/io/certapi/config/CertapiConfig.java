package io.certapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every certapi setting, under the {@code certapi} prefix. Each key is optional and safe when
 * absent; {@code docs/configuration.md} lists them all with examples.
 */
@ConfigMapping(prefix = "certapi")
public interface CertapiConfig {

    /**
     * The public base URL, e.g. {@code https://ca.example.test:8443}, used for every URL the server
     * emits and checks against a JWS {@code url}. When absent, URLs are built from each request.
     */
    Optional<String> baseUrl();

    /** The server's own DNS name: its HTTPS certificate is issued for it (and 127.0.0.1, ::1). */
    @WithDefault("localhost")
    String domain();

    /** Directory holding the H2 database and the CA's keys and certificates. */
    @WithDefault("./data")
    String dataDir();

    /** The directory's {@code meta} object (RFC 8555 §7.1.1). */
    Directory directory();

    /** Certificate issuance. */
    Issuance issuance();

    /** Leaf certificates. */
    Certificate certificate();

    /** Orders. */
    Order order();

    /** Authorizations. */
    Authorization authorization();

    /** Nonces. */
    Nonce nonce();

    /** The JWS request gate. */
    Jws jws();

    /** Challenge validation. */
    Validation validation();

    /** The CA hierarchy. */
    Ca ca();

    /** Accounts. */
    Account account();

    /** External account binding (RFC 8555 §7.3.4). */
    Eab eab();

    /** The directory's {@code meta} fields. */
    interface Directory {
        /** URL of the terms of service; when set, new accounts must agree to them. */
        Optional<String> termsOfService();

        /** URL of a web page describing this CA. */
        Optional<String> website();

        /** Domain names this CA recognises as its own in CAA records. */
        Optional<List<String>> caaIdentities();
    }

    /** Issuance settings. */
    interface Issuance {
        /**
         * How long after a valid finalize request the certificate is signed (the original
         * certapi's {@code sleep_time}). The order is {@code processing} meanwhile, and no thread
         * waits for it.
         */
        @WithDefault("10s")
        Duration delay();

        /** Number of threads that sign certificates. */
        @WithDefault("4")
        int threads();
    }

    /**
     * Certificate profiles offered in the directory and chosen with "profile" in newOrder,
     * besides the built-in "default" one ({@code certapi.certificate.*}).
     */
    Map<String, Profile> profiles();

    /** One certificate profile. */
    interface Profile {
        /** What the profile is for, shown in the directory's meta.profiles. */
        Optional<String> description();

        /** Lifetime of its certificates when the order asks for none. */
        Duration lifetime();

        /**
         * The longest lifetime an order of this profile may ask for with notBefore/notAfter;
         * certapi.certificate.max-lifetime (or the lifetime, if longer) when absent.
         */
        Optional<Duration> maxLifetime();

        /** Whether the first DNS name is also put in the subject CN. */
        @WithDefault("true")
        boolean includeCn();

        /** Whether the clientAuth extended key usage is included besides serverAuth. */
        @WithDefault("true")
        boolean clientAuth();

        /**
         * Whether certificates for RSA keys get the keyEncipherment key usage besides
         * digitalSignature (only TLS 1.2 RSA key exchange needs it).
         */
        @WithDefault("true")
        boolean keyEncipherment();
    }

    /** Leaf certificate settings. */
    interface Certificate {
        /** Lifetime of a certificate when the order asks for none. */
        @WithDefault("10m")
        Duration lifetime();

        /** The longest lifetime an order may ask for with notBefore/notAfter. */
        @WithDefault("7d")
        Duration maxLifetime();

        /** How far a certificate's notBefore is backdated to tolerate client clock skew. */
        @WithDefault("1m")
        Duration backdate();
    }

    /** Order settings. */
    interface Order {
        /** How long a new order stays usable before it expires. */
        @WithDefault("7d")
        Duration lifetime();

        /** The most identifiers one order may carry. */
        @WithDefault("100")
        int maxIdentifiers();
    }

    /** Authorization settings. */
    interface Authorization {
        /** How long a pending authorization waits for its challenge. */
        @WithDefault("7d")
        Duration pendingLifetime();

        /** How long a valid authorization stays valid. */
        @WithDefault("30d")
        Duration validLifetime();

        /**
         * Whether a new order reuses a valid authorization of the same account for the same
         * identifier, instead of asking for a new validation.
         */
        @WithDefault("true")
        boolean reuse();
    }

    /** Nonce settings. */
    interface Nonce {
        /** How long an issued nonce may be redeemed. */
        @WithDefault("1h")
        Duration lifetime();

        /**
         * Where redeemed nonces are remembered: {@code memory} (this process only: the nonce
         * key is new at every start, so nonces of an earlier run are refused), {@code database}
         * (shared by every instance on the same database), or {@code auto}: memory on the
         * embedded H2 file, which only one process can open, database otherwise.
         */
        @WithDefault("auto")
        NonceStore store();

        /**
         * In memory: how many redeemed nonces are remembered. Once more are, the oldest nonces
         * not yet redeemed are refused as well (badNonce; clients retry with a fresh one).
         */
        @WithDefault("100000")
        int memoryUsed();
    }

    /** Where redeemed nonces are remembered. */
    enum NonceStore {
        /** memory on H2, database otherwise. */
        AUTO,
        /** this process only. */
        MEMORY,
        /** the shared database. */
        DATABASE
    }

    /** JWS gate settings. */
    interface Jws {
        /** Largest accepted request body, in bytes. */
        @WithDefault("65536")
        int maxBodyBytes();
    }

    /** Validation settings. */
    interface Validation {
        /** Port the http-01 validator connects to (80 in production; tests point it elsewhere). */
        @WithDefault("80")
        int http01Port();

        /**
         * {@code host:port} of the DNS server used for every lookup the server makes; the
         * system's resolvers when absent.
         */
        Optional<String> dnsResolver();

        /** Testing only: every challenge succeeds without any network access. Logged loudly. */
        @WithDefault("false")
        boolean alwaysValid();

        /** Timeout of one validation attempt (DNS, connect and read together). */
        @WithDefault("10s")
        Duration timeout();

        /** Most redirects an http-01 validation follows. */
        @WithDefault("10")
        int maxRedirects();

        /** Number of validations that may run at the same time. */
        @WithDefault("16")
        int threads();

        /** Port the tls-alpn-01 validator connects to (RFC 8737: 443). */
        @WithDefault("443")
        int tlsAlpn01Port();

        /**
         * Attempts a challenge gets before it is invalid (RFC 8555 §8.2); between them it stays
         * processing, with the last error shown.
         */
        @WithDefault("3")
        int attempts();

        /** Wait before the second attempt; it doubles for each further one. */
        @WithDefault("2s")
        Duration retryBackoff();
    }

    /** CAA checking (RFC 8659, RFC 8657). */
    Caa caa();

    /** CAA settings. */
    interface Caa {
        /** Whether CAA records are checked; switch off on networks without DNS. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The issuer domain names that mean this CA in CAA records; when absent, the directory's
         * caa-identities, else certapi.domain.
         */
        Optional<List<String>> identities();
    }

    /** Which identifiers may be certified at all. */
    Policy policy();

    /** Identifier allow and deny lists. */
    interface Policy {
        /** When set, only names equal to or under one of these domains are accepted. */
        Optional<List<String>> allowedDomains();

        /** Names equal to or under one of these domains are refused. */
        Optional<List<String>> deniedDomains();

        /** When set, only IP addresses in one of these ranges (CIDR) are accepted. */
        Optional<List<String>> allowedIps();

        /** IP addresses in one of these ranges (CIDR) are refused. */
        Optional<List<String>> deniedIps();

        /**
         * Whether names outside the public DNS are allowed: single labels and names under a
         * suffix that is not on the Public Suffix List ({@code .test}, {@code .internal},
         * {@code .lan}), as a private CA needs. With false, names must end in a public suffix,
         * as Boulder requires. Public suffixes themselves ({@code co.uk}) are always refused.
         */
        @WithDefault("true")
        boolean privateNames();
    }

    /** CA hierarchy settings. */
    interface Ca {
        /** The root; rotated with a cross-signature by the old one. */
        Root root();

        /** The issuing intermediate, rotated automatically. */
        Intermediate intermediate();

        /** The server's own HTTPS certificate, renewed and swapped in while it runs. */
        Https https();

        /** How often the rotation and renewal deadlines are checked. */
        @WithDefault("30s")
        Duration checkInterval();

        /** Common name prefix of the CA certificates. */
        @WithDefault("certapi")
        String name();

        /** How the CA's private keys, kept in the database, are protected. */
        Keys keys();
    }

    /** How the CA's private keys are protected. */
    enum KeyProtection {
        /** Wrapped (AES-256-GCM) under a key-encryption key that every instance is given. */
        KEK,
        /** Held in an HSM over PKCS#11; the database names them only. */
        PKCS11
    }

    /** CA key protection. */
    interface Keys {
        /** {@code kek} (the default) or {@code pkcs11}. */
        @WithDefault("kek")
        KeyProtection protection();

        /**
         * The key-encryption key, base64 of 32 random bytes (for example from the environment
         * variable CERTAPI_CA_KEYS_KEK); when absent, it is read from {@link #kekFile()}.
         */
        Optional<String> kek();

        /**
         * The file holding the key-encryption key (base64); default {@code <data-dir>/ca-kek},
         * created with the first CA. Every instance on the same database needs the same key.
         */
        Optional<String> kekFile();

        /** The HSM, for protection {@code pkcs11}. */
        Pkcs11 pkcs11();
    }

    /** PKCS#11 (SunPKCS11) settings. */
    interface Pkcs11 {
        /** Path of the SunPKCS11 configuration file (library, slot). */
        Optional<String> config();

        /** The token's user PIN (for example from CERTAPI_CA_KEYS_PKCS11_PIN). */
        Optional<String> pin();
    }

    /** Root lifetime and renewal. */
    interface Root {
        /** Lifetime of a new certificate. */
        @WithDefault("3650d")
        Duration lifetime();

        /** It is replaced this long before it expires. */
        @WithDefault("365d")
        Duration renewBefore();
    }

    /** Intermediate lifetime and renewal. */
    interface Intermediate {
        /** Lifetime of a new intermediate (never past its root's end). */
        @WithDefault("365d")
        Duration lifetime();

        /**
         * It is replaced this long before it expires; keep it above the longest certificate
         * lifetime and above certapi.ca.https.renew-before, as a certificate never outlives
         * its issuer.
         */
        @WithDefault("60d")
        Duration renewBefore();
    }

    /** HTTPS certificate lifetime and renewal. */
    interface Https {
        /** Lifetime of the server's HTTPS certificate. */
        @WithDefault("90d")
        Duration lifetime();

        /** It is re-issued and swapped in this long before it expires. */
        @WithDefault("30d")
        Duration renewBefore();
    }

    /** Account settings. */
    interface Account {
        /** Orders per page of an account's orders list. */
        @WithDefault("50")
        int ordersPageSize();

        /** Most contact URLs an account may have. */
        @WithDefault("10")
        int maxContacts();
    }

    /** The admin REST API under /admin. */
    Admin admin();

    /** Admin API settings. */
    interface Admin {
        /** Whether the admin API answers at all. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Whether the admin API also answers on the plain-HTTP listener. Off: it answers on
         * HTTPS only, so that its token never crosses a network in clear.
         */
        @WithDefault("false")
        boolean plainHttp();

        /**
         * The bearer token admin requests must carry. When absent, a random one is created at
         * first start in {@code <data-dir>/admin.token} (mode 0600).
         */
        Optional<String> token();
    }

    /** External account binding settings. */
    interface Eab {
        /** Whether newAccount must carry an external account binding. */
        @WithDefault("false")
        boolean required();
    }

    /** Where certificates send relying parties for revocation status and issuers. */
    Revocation revocation();

    /** Revocation and issuer URLs written into certificates. */
    interface Revocation {
        /**
         * Base of the OCSP, CRL and CA-issuer URLs in certificates: plain HTTP, as RFC 6960
         * and RFC 5019 put OCSP and as CRLs are fetched by convention (nginx, certbot and Caddy
         * do not fetch them over https). Default: the plain-HTTP listener on certapi.domain.
         */
        Optional<String> baseUrl();
    }

    /** Certificate revocation lists. */
    Crl crl();

    /** CRL settings. */
    interface Crl {
        /** How long a CRL is valid (nextUpdate - thisUpdate); it is re-signed at half of it. */
        @WithDefault("1h")
        Duration validity();
    }

    /** The OCSP responder (RFC 6960). */
    Ocsp ocsp();

    /** OCSP settings. */
    interface Ocsp {
        /** Whether the responder runs and certificates name it in their AIA. */
        @WithDefault("true")
        boolean enabled();

        /** How long an OCSP response is valid (nextUpdate - thisUpdate). */
        @WithDefault("10m")
        Duration validity();
    }

    /** Background work settings. */
    Work work();

    /** Background work settings. */
    interface Work {
        /**
         * How long a worker's claim on an order or challenge lasts; after a crash, another
         * instance (or the restarted one) takes the work over once it lapses.
         */
        @WithDefault("30s")
        Duration lease();

        /**
         * How long a request may wait, holding no thread, for work about to finish: a challenge
         * answer for its first validation attempt, a finalize or an order poll for a signature
         * due within this time. The answer is then final ({@code valid} or {@code invalid})
         * instead of {@code processing} with a Retry-After. 0s answers at once.
         */
        @WithDefault("2s")
        Duration maxWait();
    }

    /** The embedded H2 database (ignored on PostgreSQL). */
    H2 h2();

    /** The embedded H2 database. */
    interface H2 {
        /**
         * How often the file is synced and compacted (the scheduler's finest step is 1 s). H2 runs with {@code WRITE_DELAY=0} (every
         * commit is in the file before the answer), which leaves its own background compaction
         * off; this job does it instead. Space a commit frees is reused after
         * {@link #retention()}, so everything older has been synced by then.
         */
        @WithDefault("1s")
        Duration housekeepingInterval();

        /**
         * How long the file keeps data that newer commits replaced before its space is reused
         * (H2's {@code RETENTION_TIME}). At least twice the housekeeping interval; the file's
         * size levels off near (bytes committed per second) × retention.
         */
        @WithDefault("2s")
        Duration retention();
    }

    /** HTTP answers. */
    Http http();

    /** HTTP answers. */
    interface Http {
        /**
         * {@code Strict-Transport-Security} max-age sent on every HTTPS answer (RFC 6797);
         * 0 sends none.
         */
        @WithDefault("365d")
        Duration hstsMaxAge();

        /**
         * ACME requests let in at once (running or queued for a worker thread). One more is
         * answered at once with 503, problem rateLimited and a Retry-After that spreads the
         * refused clients over the time the queue takes to drain, instead of queueing past
         * the clients' own timeouts. 0 lets every request in.
         */
        @WithDefault("1000")
        int maxInFlight();
    }

    /** How long finished state is kept before it is purged. */
    Retention retention();

    /** Purging of finished orders, authorizations and expired certificates. */
    interface Retention {
        /**
         * An order, and an authorization no order refers to any more, is purged this long after
         * it expired (orders expire certapi.order.lifetime after creation, valid or not), with
         * its challenges and their validation transcripts.
         */
        @WithDefault("30d")
        Duration orders();

        /**
         * A certificate is purged this long after its notAfter (it has left its CRL by then).
         * A certificate revoked for keyCompromise is kept: it keeps its key from being
         * certified again.
         */
        @WithDefault("90d")
        Duration certificates();

        /** How often the purge runs (one instance at a time, under a database lease). */
        @WithDefault("1h")
        Duration interval();

        /** Rows deleted per transaction: short transactions, however much is due. */
        @WithDefault("500")
        int batchSize();
    }

    /** Rate limits, as Boulder has them; each shared by every instance through the database. */
    RateLimits rateLimits();

    /**
     * Rate limits. Each is {@code <count>/<period>} (a token bucket: {@code count} at once, and
     * {@code count} more per {@code period}), or {@code off}.
     */
    interface RateLimits {
        /** Whether any limit applies. */
        @WithDefault("true")
        boolean enabled();

        /** New accounts per source address (an IPv6 source counts by its /64). */
        @WithDefault("100/1h")
        String newAccountsPerIp();

        /** New orders per account. */
        @WithDefault("3000/1h")
        String newOrdersPerAccount();

        /**
         * Certificates per registered domain (the name under its public suffix; for names
         * outside the public DNS, the last two labels), counted at finalize. Off by default: a
         * private CA issues for its own domain, as much as its fleet needs.
         */
        @WithDefault("off")
        String certificatesPerDomain();

        /** Failed validations per account and name; a new order for the name waits. */
        @WithDefault("30/1h")
        String failedValidationsPerName();

        /** Pending authorizations an account may hold at once (a count, no period). */
        @WithDefault("1000")
        String pendingAuthorizationsPerAccount();

        /** Certificates issued by the whole CA, counted at finalize. */
        @WithDefault("1000/1s")
        String issuance();
    }
}
