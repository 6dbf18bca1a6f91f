package io.github.reluspectra.demo;

import io.github.reluspectra.demo.results.DemoConfig;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.pruning.Basis;
import io.github.reluspectra.pruning.FineTuning;
import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.LayerPruning;
import io.github.reluspectra.pruning.MagnitudePruning;
import io.github.reluspectra.pruning.PruningMethod;
import io.github.reluspectra.pruning.PruningResult;
import io.github.reluspectra.pruning.RankPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For each setting (energies, then budgets): harmonic pruning of the hidden layers in the SVD and the sequential
 * ReLU basis, the layers fitted through the ReLU on the training digits (definitions §6, P3) at the same ranks, the
 * closed-form data-aware baselines on the same digits (whitened SVD and ASVD, P4), and magnitude pruning to the same
 * number of weights; each network evaluated right after pruning and after one
 * fine-tuning epoch (the same shuffled order and learning rate for all), and saved fine-tuned as
 * {@code model-pruned-METHOD-SETTING.zip}.
 */
final class PruningSweep {

    private static final Logger log = LoggerFactory.getLogger("demo");
    /** The MLP's sweep: every basis and the magnitude baseline. */
    static final List<String> METHODS = List.of("svd", "relu", "fitted", "whitened", "activation-scaled", "magnitude");

    private final DemoConfig config;
    /** The fine-tuning epoch's order, the same for every pruned network. */
    private final List<DataSet> fineTuningOrder;

    private final List<DataSet> testBatches;
    private final INDArray fitInputs;
    private final Progress progress;

    /** A rank setting of the sweep. */
    record Setting(String label, String tag, RankPolicy policy) {
        static Setting budget(double fraction) {
            return new Setting(
                    String.format(Locale.ROOT, "budget %.2f", fraction),
                    String.format(Locale.ROOT, "b%.2f", fraction),
                    RankPolicy.budget(fraction));
        }

        static Setting energy(double fraction) {
            return new Setting(
                    String.format(Locale.ROOT, "energy %.2f", fraction),
                    String.format(Locale.ROOT, "e%.2f", fraction),
                    RankPolicy.energy(fraction));
        }
    }

    PruningSweep(DemoConfig config, List<DataSet> examples, List<DataSet> testBatches, Progress progress) {
        this.config = config;
        this.fineTuningOrder = new ArrayList<>(examples);
        Collections.shuffle(fineTuningOrder, new Random(config.seed() - 1));
        this.testBatches = testBatches;
        this.fitInputs = DataSet.merge(examples.subList(0, Math.min(DemoConfig.PRUNING_FIT_SAMPLES, examples.size())))
                .getFeatures();
        this.progress = progress;
    }

    /** Every method of {@link #METHODS} at the configuration's energies, then its budgets. */
    List<PruningRow> run(MultiLayerNetwork trained, double baseline) throws Exception {
        List<Setting> settings = new ArrayList<>();
        config.energies().forEach(e -> settings.add(Setting.energy(e)));
        config.budgets().forEach(b -> settings.add(Setting.budget(b)));
        return run(trained, baseline, METHODS, settings);
    }

    /**
     * Each of {@code methods} (in order; {@code magnitude} after {@code svd}, whose weight count it matches) at each
     * setting.
     */
    List<PruningRow> run(MultiLayerNetwork trained, double baseline, List<String> methods, List<Setting> settings)
            throws Exception {
        List<PruningRow> rows = new ArrayList<>();
        int total = methods.size() * settings.size();
        long start = System.nanoTime();
        log.info(String.format(
                Locale.ROOT,
                "pruning sweep: %d networks (%s; the bases on data fitted over %d "
                        + "training digits; at %s), each fine-tuned one epoch at learning rate %.0e; the network has "
                        + "test accuracy %.4f",
                total,
                String.join(", ", methods),
                fitInputs.rows(),
                settings.stream().map(Setting::label).toList(),
                config.fineTuneRate(),
                baseline));
        for (Setting setting : settings) {
            PruningRow svd = null;
            for (String tag : methods) {
                PruningRow row = prune(trained, tag, setting, method(tag, setting, svd));
                svd = tag.equals("svd") ? row : svd;
                rows.add(row);
                report(rows, total, start);
            }
        }
        return rows;
    }

    private PruningMethod method(String tag, Setting setting, PruningRow svd) {
        var builder = HarmonicPruningTransform.builder().policy(setting.policy());
        return switch (tag) {
            case "svd" -> builder.basis(Basis.SVD).build();
            case "relu" -> builder.basis(Basis.RELU).build();
            case "fitted" -> builder.basis(Basis.FITTED).data(fitInputs).build();
            case "whitened" -> builder.basis(Basis.WHITENED).data(fitInputs).build();
            case "activation-scaled" ->
                builder.basis(Basis.ACTIVATION_SCALED).data(fitInputs).build();
            case "magnitude" -> {
                if (svd == null) {
                    throw new IllegalArgumentException("magnitude pruning matches the SVD row: list svd first");
                }
                yield new MagnitudePruning(svd.hiddenWeights(), false);
            }
            default -> throw new IllegalArgumentException("unknown pruning method " + tag);
        };
    }

    private PruningRow prune(MultiLayerNetwork trained, String tag, Setting setting, PruningMethod method)
            throws Exception {
        String label = tag + ", " + setting.label();
        long t0 = System.nanoTime();
        PruningResult result = progress.step("pruning (" + label + ")", () -> method.transform(trained));
        double seconds = Progress.seconds(t0);
        double before = DemoRun.accuracy(result.network(), testBatches);
        progress.step(
                "fine-tuning (" + label + ")",
                () -> FineTuning.fineTune(
                        result,
                        new ListDataSetIterator<>(fineTuningOrder, config.batchSize()),
                        1,
                        config.fineTuneRate()));
        double after = DemoRun.accuracy(result.network(), testBatches);
        String file = String.format(Locale.ROOT, "model-pruned-%s-%s.zip", tag, setting.tag());
        save(result.network(), file);
        List<LayerPruning> layers = result.report().layers();
        boolean magnitude = tag.equals("magnitude");
        String ranks = magnitude
                ? "-"
                : layers.stream().map(l -> String.valueOf(l.rank())).collect(Collectors.joining("/"));
        long hiddenWeights =
                layers.stream().mapToLong(l -> l.paramsAfter() - l.nOut()).sum();
        long params = trained.numParams()
                - result.report().paramsBefore()
                + result.report().paramsAfter();
        String kind = switch (tag) {
            case "magnitude", "fitted" -> tag;
            case "whitened", "activation-scaled" -> "closed form";
            default -> "harmonic";
        };
        return new PruningRow(
                kind,
                magnitude ? "-" : tag.toUpperCase(Locale.ROOT),
                setting.label(),
                ranks,
                params,
                hiddenWeights,
                before,
                after,
                seconds,
                file,
                result.report());
    }

    private void save(MultiLayerNetwork net, String file) throws IOException {
        AtomicFiles.write(config.out().resolve(file), tmp -> ModelSerializer.writeModel(net, tmp.toFile(), false));
    }

    private static void report(List<PruningRow> rows, int total, long start) {
        PruningRow r = rows.get(rows.size() - 1);
        log.info(String.format(
                Locale.ROOT,
                "  %d/%d %-16s %-11s ranks %-9s %,9d params: accuracy %.4f, "
                        + "after one epoch %.4f (pruning %.1f s); sweep about %s left",
                rows.size(),
                total,
                r.label(),
                r.setting(),
                r.ranks(),
                r.params(),
                r.accuracy(),
                r.accuracyFineTuned(),
                r.seconds(),
                Progress.eta(rows.size(), total, Progress.seconds(start))));
    }
}
