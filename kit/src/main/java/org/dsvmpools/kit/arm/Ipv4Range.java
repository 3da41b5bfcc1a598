package org.dsvmpools.kit.arm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 CIDR as a range of addresses, enough to tell whether one network lies inside another. */
record Ipv4Range(long first, long last) {
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    static Optional<Ipv4Range> parse(String cidr) {
        Matcher m = CIDR.matcher(cidr);
        if (!m.matches() || Integer.parseInt(m.group(5)) > 32) {
            return Optional.empty();
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            address = address << 8 | Integer.parseInt(m.group(i));
        }
        long size = 1L << (32 - Integer.parseInt(m.group(5)));
        long first = address & ~(size - 1) & 0xFFFFFFFFL;
        return Optional.of(new Ipv4Range(first, first + size - 1));
    }

    boolean contains(Ipv4Range other) {
        return other.first >= first && other.last <= last;
    }
}
