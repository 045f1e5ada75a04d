package io.certapi.core;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP addresses as identifiers (RFC 8738): strict parsing of literals (never a DNS lookup), their
 * one canonical text form (dotted quad; RFC 5952 for IPv6), and CIDR ranges.
 */
public final class IpAddresses {

    private static final Pattern V4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private IpAddresses() {
    }

    /** Parses an IPv4 or IPv6 literal without any lookup; empty when it is not one. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        boolean v4 = V4.matcher(text).matches();
        boolean v6 = text.contains(":") && V6_CHARS.matcher(text).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // Only literals reach here, so getByName does not resolve anything.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The canonical text of an address: dotted quad, or RFC 5952 (lower case, :: once). */
    public static String canonical(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            s.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                s.append(':');
            }
        }
        return s.toString();
    }

    /** The reverse-DNS name of an address (RFC 8738 §6: the SNI of tls-alpn-01 for IPs). */
    public static String reverseName(InetAddress a) {
        byte[] b = a.getAddress();
        StringBuilder s = new StringBuilder();
        if (a instanceof Inet6Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                s.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
            return s.append("ip6.arpa").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            s.append(b[i] & 0xff).append('.');
        }
        return s.append("in-addr.arpa").toString();
    }

    /**
     * Whether {@code a} lies in {@code cidr} ("10.0.0.0/8", "fd00::/8", or a single address).
     *
     * @throws IllegalArgumentException for a malformed range
     */
    public static boolean inRange(InetAddress a, String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        InetAddress base = parse(parts[0]).orElseThrow(() ->
                new IllegalArgumentException("not an IP range: " + cidr));
        int bits = base.getAddress().length * 8;
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("bad prefix length in " + cidr);
        }
        if (base.getAddress().length != a.getAddress().length) {
            return false;
        }
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger mask = all.xor(host);
        BigInteger x = new BigInteger(1, a.getAddress()).and(mask);
        BigInteger y = new BigInteger(1, base.getAddress()).and(mask);
        return x.equals(y);
    }
}
