package dev.kbr.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code k8s.io/apimachinery/pkg/api/resource.Quantity}) as a
 * pipeline container's {@code resources} holds it: a non-negative decimal number with an optional
 * suffix, binary ({@code Ki Mi Gi Ti Pi Ei}, powers of 1024), decimal ({@code n u m k M G T P E})
 * or a decimal exponent ({@code 1e3}, {@code 5E-1}). Examples: {@code 500m} (half a CPU), {@code
 * 1.5} (one and a half), {@code 128Mi} (134217728 bytes), {@code 1G} (10⁹ bytes).
 *
 * @param text the quantity as written, e.g. {@code 128Mi}
 * @param value its value in base units (CPUs, bytes), exact
 */
public record Quantity(String text, BigDecimal value) {
    private static final Pattern SYNTAX =
            Pattern.compile("\\+?([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)([A-Za-z]*)([-+]?[0-9]*)");
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000);
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    public Quantity {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0) {
            throw new IllegalArgumentException("a quantity must not be negative: " + text);
        }
    }

    /**
     * Parses a quantity as Kubernetes writes it.
     *
     * @param text e.g. {@code 500m}, {@code 1.5}, {@code 128Mi}, {@code 1G}, {@code 1e3}
     * @return the quantity, or empty when {@code text} is not one (negative numbers included)
     */
    public static Optional<Quantity> parse(String text) {
        Matcher m = SYNTAX.matcher(Objects.requireNonNull(text, "text"));
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2);
        String exponent = m.group(3);
        BigDecimal scale;
        if ((suffix.equals("e") || suffix.equals("E"))
                && !exponent.isEmpty()
                && !exponent.equals("-")
                && !exponent.equals("+")) {
            int power;
            try {
                power = Integer.parseInt(exponent);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (Math.abs(power) > 30) {
                return Optional.empty();
            }
            scale = BigDecimal.ONE.scaleByPowerOfTen(power);
        } else if (exponent.isEmpty() && SUFFIXES.containsKey(suffix)) {
            scale = SUFFIXES.get(suffix);
        } else {
            return Optional.empty();
        }
        return Optional.of(new Quantity(text, number.multiply(scale)));
    }

    /** The value in thousandths (millicores for CPU), rounded up as Kubernetes rounds CPU to 1m. */
    public long milli() {
        return value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The value in billionths (Docker's nano CPUs), rounded up. */
    public long nano() {
        return value.multiply(BILLION).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The value as a whole number (bytes for memory), rounded up as Kubernetes does. */
    public long whole() {
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Whether this quantity is larger than {@code other}. */
    public boolean exceeds(Quantity other) {
        return value.compareTo(other.value) > 0;
    }

    /** The quantity as written. */
    @Override
    public String toString() {
        return text;
    }
}
