package org.dsvmpools.pool;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation, as network security group rules take it. The address must be the
 * network address (no host bits set), so what the NSG shows is what the caller wrote.
 */
public record Cidr(String value) {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:]+(?:\\d+\\.\\d+\\.\\d+\\.\\d+)?");

    public Cidr {
        problem(value).ifPresent(message -> {
            throw new IllegalArgumentException("invalid CIDR '" + value + "': " + message);
        });
    }

    /** {@code 0.0.0.0/0} or {@code ::/0}: the whole internet. */
    public boolean isInternet() {
        return value.endsWith("/0");
    }

    /** Why {@code candidate} is not a valid CIDR, or empty when it is. */
    public static Optional<String> problem(String candidate) {
        if (candidate == null) {
            return Optional.of("must be an IPv4 or IPv6 CIDR such as 203.0.113.0/24");
        }
        int slash = candidate.indexOf('/');
        if (slash < 0 || candidate.indexOf('/', slash + 1) >= 0) {
            return Optional.of("must be address/prefix, such as 203.0.113.0/24 or 2001:db8::/32");
        }
        String address = candidate.substring(0, slash);
        String prefixText = candidate.substring(slash + 1);
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.contains(":") && IPV6_CHARS.matcher(address).matches();
        if (!v4 && !v6) {
            return Optional.of("'" + address + "' is not an IPv4 or IPv6 address");
        }
        int maxPrefix = v4 ? 32 : 128;
        if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > maxPrefix) {
            return Optional.of("prefix length must be 0-" + maxPrefix);
        }
        byte[] bytes;
        try {
            // A literal (checked above), so no name lookup happens.
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return Optional.of("'" + address + "' is not a valid address");
        }
        if (bytes.length * 8 != maxPrefix) {
            return Optional.of("'" + address + "' is not a valid address");
        }
        int prefix = Integer.parseInt(prefixText);
        BigInteger bits = new BigInteger(1, bytes);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(maxPrefix - prefix).subtract(BigInteger.ONE);
        if (!bits.and(hostMask).equals(BigInteger.ZERO)) {
            return Optional.of("host bits are set; the network is " + network(bits.andNot(hostMask), v4) + "/" + prefix);
        }
        return Optional.empty();
    }

    private static String network(BigInteger bits, boolean v4) {
        byte[] raw = bits.toByteArray();
        byte[] address = new byte[v4 ? 4 : 16];
        int copy = Math.min(raw.length, address.length);
        System.arraycopy(raw, raw.length - copy, address, address.length - copy, copy);
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
