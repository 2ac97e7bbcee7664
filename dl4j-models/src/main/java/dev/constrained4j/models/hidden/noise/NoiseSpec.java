package dev.constrained4j.models.hidden.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses the original HiDDeN's {@code --noise} syntax (reference {@code utils/noise_argparser.py}): layers joined
 * by {@code +}, whitespace ignored, e.g. {@code crop((0.2,0.3),(0.4,0.5))+cropout((0.11,0.22),(0.33,0.44))+
 * dropout(0.2,0.3)+resize(0.7,0.8)+jpeg()+quant()}. {@code identity} is accepted and, as in the reference, adds
 * nothing: {@link Identity} is always one of the choices. Every error names the offending part.
 */
public final class NoiseSpec {

    private static final String NUMBER = "(\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final String PAIR = "\\(" + NUMBER + "," + NUMBER + "\\)";
    private static final Pattern CROP = Pattern.compile("(crop|cropout)\\(" + PAIR + "," + PAIR + "\\)");
    private static final Pattern RATIOS = Pattern.compile("(dropout|resize)\\(" + NUMBER + "," + NUMBER + "\\)");
    private static final Pattern JPEG = Pattern.compile("jpeg(?:\\(\\)|\\((\\d+),(\\d+),(\\d+)\\))?");
    private static final Pattern QUANT = Pattern.compile("quant(?:ization)?(?:\\(\\))?");
    private static final Pattern IDENTITY = Pattern.compile("identity(?:\\(\\))?");

    private NoiseSpec() {
    }

    /**
     * The noise layers a specification names, without the implicit identity; an empty or blank string means
     * identity only.
     *
     * @throws IllegalArgumentException with the offending part and the expected forms
     */
    public static List<NoiseLayer> parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("noise specification must not be null");
        }
        String compact = spec.replaceAll("\\s+", "");
        List<NoiseLayer> layers = new ArrayList<>();
        if (compact.isEmpty()) {
            return layers;
        }
        for (String part : compact.split("\\+", -1)) {
            layers.addAll(parseOne(part, spec));
        }
        return layers;
    }

    /** The layers to choose from per batch: {@link Identity} first, then those of {@code spec}. */
    public static List<NoiseLayer> choices(String spec) {
        List<NoiseLayer> all = new ArrayList<>();
        all.add(new Identity());
        all.addAll(parse(spec));
        return all;
    }

    /** The specification of some layers, parseable by {@link #parse} ({@link Identity} entries are dropped). */
    public static String format(List<NoiseLayer> layers) {
        return layers.stream().filter(l -> !(l instanceof Identity)).map(NoiseLayer::spec)
                .collect(Collectors.joining("+"));
    }

    private static List<NoiseLayer> parseOne(String part, String whole) {
        Matcher m;
        try {
            if ((m = CROP.matcher(part)).matches()) {
                double[] h = {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
                double[] w = {Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))};
                return List.of(m.group(1).equals("crop") ? new Crop(h, w) : new Cropout(h, w));
            }
            if ((m = RATIOS.matcher(part)).matches()) {
                double a = Double.parseDouble(m.group(2));
                double b = Double.parseDouble(m.group(3));
                return List.of(m.group(1).equals("dropout") ? new Dropout(a, b) : new Resize(a, b));
            }
            if ((m = JPEG.matcher(part)).matches()) {
                return List.of(m.group(1) == null ? new JpegMask()
                        : new JpegMask(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))));
            }
            if (QUANT.matcher(part).matches()) {
                return List.of(new Quantization());
            }
            if (IDENTITY.matcher(part).matches()) {
                return List.of();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad noise layer '" + part + "' in '" + whole + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unrecognised noise layer '" + part + "' in '" + whole
                + "'; expected one of crop((hmin,hmax),(wmin,wmax)), cropout((hmin,hmax),(wmin,wmax)), "
                + "dropout(keep_min,keep_max), resize(min,max), jpeg(), quant(), identity, joined by '+'");
    }
}
