package dev.kbr.state.layout;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decisions Go's {@code gopkg.in/yaml.v2} (v2.4.0, the version Kratix pins) makes about a
 * value before its emitter sees it: the order of a map's keys ({@code sorter.go}), whether a
 * string may be written plain or would read back as another type ({@code resolve.go}, {@code
 * isBase60Float} in {@code encode.go}), and how numbers are printed ({@code intv}, {@code floatv}
 * in {@code encode.go}).
 */
final class YamlV2Scalars {
    /** The plain scalars yaml.v2 reads as booleans, nulls, special floats or the merge key. */
    private static final Set<String> RESERVED = Set.of(
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO",
            "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<");

    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    // Go's time.Parse layouts "2006-1-2", "2006-1-2 15:4:5.999999999" and RFC 3339 with short
    // fields, the only timestamp forms yaml.v2 recognises in a plain scalar.
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:(?:([Tt])|( ))(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.\\d+)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?)?");
    // Go's ParseFloat on a string that starts with a point: digits, an optional exponent, and
    // underscores only between digits.
    private static final Pattern POINT_FLOAT = Pattern.compile("\\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?");
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** yaml.v2's map key order: numbers by value, and runs of digits inside strings by value. */
    static final Comparator<String> KEY_ORDER = (a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : 0;

    private YamlV2Scalars() {}

    /**
     * True when yaml.v2 writes the string as a plain scalar if the emitter allows: it resolves to
     * a string when read back unquoted and is not a YAML 1.1 base-60 number; otherwise yaml.v2
     * asks for double quotes.
     */
    static boolean plainResolvesToString(String s) {
        if (RESERVED.contains(s)) {
            return false;
        }
        char first = s.charAt(0);
        if (first == '.') {
            return !parsesAsGoFloat(s);
        }
        boolean digitOrSign = first == '+' || first == '-' || (first >= '0' && first <= '9');
        if (!digitOrSign) {
            return true;
        }
        if (isTimestamp(s)) {
            return false;
        }
        String plain = s.replace("_", "");
        if (parsesAsGoInteger(plain)) {
            return false;
        }
        if (YAML_FLOAT.matcher(plain).matches() && !Double.isInfinite(Double.parseDouble(plain))) {
            return false;
        }
        return !BASE60_FLOAT.matcher(s).matches();
    }

    /**
     * A number as Kratix writes it: Kubernetes decodes a stored object's JSON numbers to int64
     * when they are integers in range and to float64 otherwise (so {@code 1.0} comes back as
     * {@code 1}), and yaml.v2 prints a float64 with Go's shortest {@code 'g'} format.
     */
    static String number(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Long.toString(node.longValue());
        }
        double d = node.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return Long.toString((long) d);
        }
        return goShortestG(d);
    }

    private static String goShortestG(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int pointAt = digits.length() - exact.scale();
        int exponent = pointAt - 1;
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            int abs = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        if (pointAt <= 0) {
            return sign + "0." + "0".repeat(-pointAt) + digits;
        }
        if (pointAt >= digits.length()) {
            return sign + digits + "0".repeat(pointAt - digits.length());
        }
        return sign + digits.substring(0, pointAt) + "." + digits.substring(pointAt);
    }

    private static boolean parsesAsGoFloat(String s) {
        return POINT_FLOAT.matcher(s).matches() && !Double.isInfinite(Double.parseDouble(s.replace("_", "")));
    }

    /** Go's {@code ParseInt(s, 0, 64)} or {@code ParseUint(s, 0, 64)} succeeds. */
    private static boolean parsesAsGoInteger(String s) {
        boolean negative = s.startsWith("-");
        boolean signed = negative || s.startsWith("+");
        String body = signed ? s.substring(1) : s;
        int radix = 10;
        String digits = body;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
            digits = body.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            digits = body.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            digits = body.substring(2);
        } else if (body.length() > 1 && body.charAt(0) == '0') {
            radix = 8;
            digits = body.substring(1);
        }
        final int base = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            return false;
        }
        BigInteger value = new BigInteger(digits, radix);
        if (negative) {
            return value.negate().compareTo(INT64_MIN) >= 0;
        }
        return value.compareTo(signed ? INT64_MAX : UINT64_MAX) <= 0;
    }

    private static boolean isTimestamp(String s) {
        Matcher m = TIMESTAMP.matcher(s);
        if (!m.matches()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1
                || month > 12
                || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        if (m.group(6) == null) {
            return true;
        }
        // Only the RFC 3339 layouts take a zone and the space-separated one takes none.
        if (m.group(5) != null && m.group(9) != null || m.group(4) != null && m.group(9) == null) {
            return false;
        }
        return Integer.parseInt(m.group(6)) < 24
                && Integer.parseInt(m.group(7)) < 60
                && Integer.parseInt(m.group(8)) < 60;
    }

    /** {@code keyList.Less} of yaml.v2's {@code sorter.go}, for two string keys. */
    private static boolean less(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }
}
