package dev.constrained4j.reports.html;

import dev.constrained4j.reports.ReportException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The charting library inlined into every report: Chart.js from the WebJar
 * {@code org.webjars.npm:chart.js} on the class path ({@code dist/chart.umd.min.js}, MIT licence).
 *
 * @param name    the library name
 * @param version its version, read from the WebJar's {@code pom.properties}
 * @param script  the minified UMD script, safe to inline in a {@code <script>} element
 */
public record ChartLibrary(String name, String version, String script) {

    private static final String POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    /** @return the WebJar coordinates, e.g. {@code org.webjars.npm:chart.js:4.5.1} */
    public String coordinates() {
        return "org.webjars.npm:chart.js:" + version;
    }

    /**
     * Loads Chart.js from the class path.
     *
     * @return the library
     * @throws ReportException if the WebJar is not on the class path
     */
    public static ChartLibrary load() {
        ClassLoader loader = ChartLibrary.class.getClassLoader();
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(POM)) {
            if (in == null) {
                throw new ReportException(POM + ": not on the class path (is org.webjars.npm:chart.js a dependency?)");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new ReportException(POM + ": cannot read (" + e.getMessage() + ")", e);
        }
        String version = pom.getProperty("version");
        String path = "META-INF/resources/webjars/chart.js/" + version + "/dist/chart.umd.min.js";
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new ReportException(path + ": not found in the Chart.js WebJar");
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // Inside <script>, only "</script" (any case) would end the element early.
            script = script.replaceAll("(?i)</script", "<\\\\/script");
            return new ChartLibrary("Chart.js", version, script);
        } catch (IOException e) {
            throw new ReportException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
