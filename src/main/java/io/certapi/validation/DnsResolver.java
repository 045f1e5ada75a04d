package io.certapi.validation;

import io.certapi.config.CertapiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
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

    private final Resolver resolver;
    private final String description;

    /** Builds the resolver from configuration. */
    public DnsResolver(CertapiConfig config) {
        var configured = config.validation().dnsResolver();
        try {
            if (configured.isPresent()) {
                InetSocketAddress addr = parseHostPort(configured.get());
                SimpleResolver simple = new SimpleResolver(addr);
                simple.setTimeout(config.validation().timeout().dividedBy(2));
                this.resolver = simple;
                this.description = configured.get();
            } else {
                ExtendedResolver ext = new ExtendedResolver();
                ext.setTimeout(config.validation().timeout().dividedBy(2));
                this.resolver = ext;
                this.description = "system";
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("certapi.validation.dns-resolver: unknown host "
                    + configured.orElse(""), e);
        }
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
        List<InetAddress> v6 = new ArrayList<>();
        List<InetAddress> v4 = new ArrayList<>();
        String v6Error = lookup(name, Type.AAAA, v6);
        String v4Error = lookup(name, Type.A, v4);
        List<InetAddress> all = new ArrayList<>(v6);
        all.addAll(v4);
        if (all.isEmpty()) {
            throw new DnsException("no A or AAAA record for " + name + " at resolver "
                    + description + " (A: " + v4Error + ", AAAA: " + v6Error + ")");
        }
        return all;
    }

    private String lookup(String name, int type, List<InetAddress> out) throws DnsException {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
        } catch (TextParseException e) {
            throw new DnsException("\"" + name + "\" is not a valid DNS name");
        }
        lookup.setResolver(resolver);
        lookup.setCache(new Cache());
        Record[] records = lookup.run();
        if (records != null) {
            for (Record r : records) {
                if (r instanceof ARecord a) {
                    out.add(a.getAddress());
                } else if (r instanceof AAAARecord aaaa) {
                    out.add(aaaa.getAddress());
                }
            }
        }
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> "ok";
            case Lookup.HOST_NOT_FOUND -> "NXDOMAIN";
            case Lookup.TYPE_NOT_FOUND -> "no record";
            case Lookup.TRY_AGAIN -> "timeout or SERVFAIL: " + lookup.getErrorString();
            default -> "failed: " + lookup.getErrorString();
        };
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
