package dev.constrained4j.runners.engine;

import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints one line per epoch: stage, epoch, coefficient, the metrics of every split, and the time the epoch took.
 * NaN metrics ("not applicable") are printed as {@code n/a}.
 */
public final class ConsoleProgress implements EpochListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleProgress.class);

    private final Map<String, Integer> stageLengths = new java.util.HashMap<>();

    @Override
    public void onStageStart(String mode, int firstEpoch, int epochs) {
        stageLengths.put(mode, epochs);
        if (firstEpoch > 0) {
            LOG.info("[{}] resuming at epoch {}/{}", mode, firstEpoch + 1, epochs);
        } else {
            LOG.info("[{}] {} epochs", mode, epochs);
        }
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s] epoch %d/%d coef %s |",
                record.mode(), record.epoch() + 1, stageLengths.getOrDefault(record.mode(), 0),
                Double.isNaN(record.coefficient()) ? "n/a" : String.format(Locale.ROOT, "%.4g", record.coefficient())));
        String split = null;
        for (Map.Entry<String, Double> e : record.metrics().entrySet()) {
            int cut = e.getKey().indexOf('_');
            String s = cut < 0 ? "" : e.getKey().substring(0, cut);
            if (!s.equals(split)) {
                line.append(split == null ? " " : " | ").append(s).append(':');
                split = s;
            }
            double v = e.getValue();
            line.append(' ').append(e.getKey().substring(cut + 1)).append(' ')
                    .append(Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.5g", v));
        }
        line.append(String.format(Locale.ROOT, " | %.1f s", record.seconds()));
        LOG.info(line.toString());
    }
}
