package io.certapi.validation;

import io.certapi.config.CertapiConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Every DNS lookup certapi makes goes through here, to {@code certapi.validation.dns-resolver}
 * when set (so tests can answer any name from a local DNS server), else to the system's
 * resolvers and hosts file. Nothing is cached: a validation must see the zone as it is now.
 */
@ApplicationScoped
public class DnsResolver {

    /**
     * Where dnsjava completes its answers. By default it uses the common fork-join pool, which
     * on a machine of fewer than three cores starts a new thread for every answer (a profile
     * under load showed thousands a minute).
     */
    private final ExecutorService answers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "certapi-dns-answers");
        t.setDaemon(true);
        return t;
    });

    private final Resolver resolver;
    private final String description;

    /** Builds the resolver from configuration. */
    public DnsResolver(CertapiConfig config) {
        var configured = config.validation().dnsResolver();
        try {
            if (configured.isPresent()) {
                InetSocketAddress addr = parseHostPort(configured.get());
                SimpleResolver simple = new SimpleResolver(addr) {
                    @Override
                    public CompletionStage<Message> sendAsync(Message query) {
                        return sendAsync(query, answers);
                    }
                };
                simple.setTimeout(config.validation().timeout().dividedBy(2));
                this.resolver = simple;
                this.description = configured.get();
            } else {
                ExtendedResolver ext = new ExtendedResolver() {
                    @Override
                    public CompletionStage<Message> sendAsync(Message query) {
                        return sendAsync(query, answers);
                    }
                };
                ext.setTimeout(config.validation().timeout().dividedBy(2));
                this.resolver = ext;
                this.description = "system";
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("certapi.validation.dns-resolver: unknown host "
                    + configured.orElse(""), e);
        }
    }

    /** Stops the answer threads. */
    @PreDestroy
    void stop() {
        answers.shutdownNow();
    }

    /** The resolver's name as shown in transcripts. */
    public String description() {
        return description;
    }

    /**
     * The A and AAAA addresses of {@code name}, IPv6 first as Boulder prefers them.
     *
     * @throws DnsException when the name has no address or the lookup failed
     */
    public List<InetAddress> addresses(String name) throws DnsException {
        Answer v6 = lookup(name, Type.AAAA);
        Answer v4 = lookup(name, Type.A);
        List<InetAddress> all = new ArrayList<>();
        for (Record r : v6.records()) {
            all.add(((AAAARecord) r).getAddress());
        }
        for (Record r : v4.records()) {
            all.add(((ARecord) r).getAddress());
        }
        if (all.isEmpty()) {
            throw new DnsException("no A or AAAA record for " + name + " at resolver "
                    + description + " (A: " + v4.result() + ", AAAA: " + v6.result() + ")");
        }
        return all;
    }

    /** The TXT strings at {@code name}, following CNAMEs (each record's strings joined). */
    public Answer txt(String name) throws DnsException {
        return lookup(name, Type.TXT);
    }

    /** The CAA records at exactly {@code name} (CNAMEs followed). */
    public Answer caa(String name) throws DnsException {
        return lookup(name, Type.CAA);
    }

    /**
     * One lookup's outcome.
     *
     * @param records the answers of the asked type
     * @param aliases the CNAMEs followed on the way, as "alias -> target"
     * @param result  "ok", "NXDOMAIN", "no record", or the failure
     * @param failed  whether the lookup failed (timeout, SERVFAIL), as opposed to an answer
     */
    public record Answer(List<Record> records, List<String> aliases, String result,
            boolean failed) {
    }

    private Answer lookup(String name, int type) throws DnsException {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
        } catch (TextParseException e) {
            throw new DnsException("\"" + name + "\" is not a valid DNS name");
        }
        lookup.setResolver(resolver);
        lookup.setCache(new Cache());
        Record[] records = lookup.run();
        List<String> aliases = new ArrayList<>();
        for (Name alias : lookup.getAliases()) {
            aliases.add(alias.toString(true));
        }
        String result = switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> "ok";
            case Lookup.HOST_NOT_FOUND -> "NXDOMAIN";
            case Lookup.TYPE_NOT_FOUND -> "no record";
            case Lookup.TRY_AGAIN -> "timeout or SERVFAIL: " + lookup.getErrorString();
            default -> "failed: " + lookup.getErrorString();
        };
        boolean failed = lookup.getResult() == Lookup.TRY_AGAIN
                || lookup.getResult() == Lookup.UNRECOVERABLE;
        return new Answer(records == null ? List.of() : List.of(records), aliases, result,
                failed);
    }

    static InetSocketAddress parseHostPort(String hostPort) throws UnknownHostException {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(InetAddress.getByName(hostPort), 53);
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** A lookup that found no usable answer. */
    public static final class DnsException extends Exception {
        private static final long serialVersionUID = 1L;

        DnsException(String message) {
            super(message, null, false, false);
        }
    }
}
