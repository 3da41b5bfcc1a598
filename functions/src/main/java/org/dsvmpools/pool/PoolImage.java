package org.dsvmpools.pool;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A marketplace image as {@code publisher:offer:sku:version}, the form the Azure CLI takes. Which images pools may
 * use is the installation's choice ({@link IntakePolicy#allowedImages()}).
 */
public record PoolImage(String value) {
    /**
     * Ubuntu 22.04 DSVM, Gen2: the image Microsoft documents for the shared pool today. Its support ends on
     * 2027-06-30; see the deployment guide for the successor to allow before then.
     */
    public static final String DEFAULT = "microsoft-dsvm:ubuntu-2204:2204-gen2:latest";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public PoolImage {
        problem(value).ifPresent(message -> {
            throw new IllegalArgumentException("invalid image '" + value + "': " + message);
        });
    }

    /** Why {@code candidate} is not an image reference, or empty when it is. */
    public static Optional<String> problem(String candidate) {
        String[] parts = candidate == null ? new String[0] : candidate.split(":", -1);
        if (parts.length != 4) {
            return Optional.of("must be publisher:offer:sku:version, such as " + DEFAULT);
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return Optional.of("'" + part + "' is not a publisher, offer, sku or version");
            }
        }
        return Optional.empty();
    }

    public String publisher() {
        return value.split(":")[0];
    }

    public String offer() {
        return value.split(":")[1];
    }

    public String sku() {
        return value.split(":")[2];
    }

    public String version() {
        return value.split(":")[3];
    }
}
