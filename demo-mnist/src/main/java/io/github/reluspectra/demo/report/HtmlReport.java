package io.github.reluspectra.demo.report;

import static io.github.reluspectra.demo.results.DemoConfig.describe;

import io.github.reluspectra.demo.report.DemoCharts.EpochLayer;
import io.github.reluspectra.demo.results.DemoConfig;
import io.github.reluspectra.demo.results.DemoResult;
import io.github.reluspectra.demo.results.EpochRecord;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluValuesOverData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code index.html} of the MLP run ({@link HtmlPage}: one page that opens from disk without a network).
 */
final class HtmlReport {

    /** The "what this shows" box names the smallest rank whose value over data is at most this share of rank 0's. */
    private static final double TENTH = 0.1;

    private final DemoResult result;
    private final HtmlPage html = new HtmlPage("ReLU spectra of an MNIST MLP");

    private HtmlReport(DemoResult result) {
        this.result = result;
    }

    static String render(DemoResult result) {
        return new HtmlReport(result).page();
    }

    private String page() {
        provenance();
        conclusions();
        html.append("<p>Contents: <a href=\"#training\">training</a> · <a href=\"#spectra\">spectra per layer</a> · ")
                .append("<a href=\"#separation\">separation</a> · <a href=\"#pruning\">pruning</a> · ")
                .append("<a href=\"#double\">plain against double layers</a> · <a href=\"#files\">files</a></p>\n");
        training();
        spectra();
        separation();
        pruning();
        doubleLayers();
        files();
        return html.end();
    }

    private void provenance() {
        var c = result.config();
        html.p(
                "meta",
                "Data: " + HtmlPage.esc(result.source()) + " (" + result.trainSize() + " training, " + result.testSize()
                        + " test digits, 784 pixels in [0, 1]). MLP 784-" + describe(c.hidden())
                        + "-10 with ReLU, Adam 1e-3, "
                        + "minibatch " + c.batchSize() + ", " + c.epochs() + " epochs, seed " + c.seed() + ". Run took "
                        + fmt("%.0f", result.seconds()) + " s on " + HtmlPage.esc(result.environment()) + ".");
        html.p(
                null,
                "Method: S. Dittmer, E. J. King, P. Maass, <i>Singular Values for ReLU Layers</i>, IEEE TNNLS 2020. "
                        + "A dense layer computes ReLU(A x + b). Its ReLU singular values over data s<sub>k,X</sub> (the "
                        + "paper's) are the error of the best rank-k replacement ReLU(L x + b) of the layer, the max over "
                        + "the inputs X that reach it; they say how far the layer can be compressed. The sequential ReLU "
                        + "singular values s<sub>k</sub> maximise ||ReLU(A x)|| over unit x orthogonal to the earlier "
                        + "maximisers; always σ<sub>k</sub>/√2 ≤ s<sub>k</sub> ≤ σ<sub>1</sub>, and "
                        + "s<sub>k</sub>/σ<sub>k</sub> near 1 means ReLU discards little along that direction. Gaussian "
                        + "mean widths compare the size of the layer's image with and without ReLU.");
    }

    /** What this run shows, stated from its own numbers: accuracy, compressibility, pruning, separation. */
    private void conclusions() {
        List<String> points = new ArrayList<>();
        EpochRecord last = result.lastEpoch();
        points.add("After " + result.epochs().size() + " epochs the MLP classifies "
                + fmt("%.2f", 100 * last.plainAccuracy())
                + "% of the test digits correctly; the double-layer network with the same parameter count "
                + fmt("%.2f", 100 * last.doubleAccuracy()) + "%.");
        EpochSpectra lastSpectra = result.spectra().isEmpty()
                ? null
                : result.spectra().get(result.spectra().size() - 1);
        if (lastSpectra != null) {
            for (LayerAnalysis a : lastSpectra.layers()) {
                ReluValuesOverData v = a.overData();
                if (v == null || v.values()[0] <= 0) {
                    continue;
                }
                int i = 0;
                while (i < v.ranks().length - 1 && v.values()[i] > TENTH * v.values()[0]) {
                    i++;
                }
                points.add(String.format(
                        Locale.ROOT,
                        "On its data, layer %s (%d units) behaves like a "
                                + "rank-%d layer: the best rank-%d replacement found misses at most %.1f%% of the layer's "
                                + "largest output (s<sub>k,X</sub>/s<sub>0,X</sub>), where the truncated SVD of that rank "
                                + "misses %.1f%%.",
                        HtmlPage.esc(a.name()),
                        a.nOut(),
                        v.ranks()[i],
                        v.ranks()[i],
                        100 * v.values()[i] / v.values()[0],
                        100 * v.svdValues()[i] / v.values()[0]));
            }
        }
        PruningRow best = result.pruning().stream()
                .max(Comparator.comparingDouble(PruningRow::accuracyFineTuned).thenComparing(r -> -r.params()))
                .orElse(null);
        long fewest =
                result.pruning().stream().mapToLong(PruningRow::params).min().orElse(0);
        PruningRow smallest = result.pruning().stream()
                .filter(r -> r.params() == fewest)
                .max(Comparator.comparingDouble(PruningRow::accuracyFineTuned))
                .orElse(null);
        if (smallest != null) {
            points.add(String.format(
                    Locale.ROOT,
                    "At the strongest compression (%s, %.2fx fewer "
                            + "parameters) %s kept the most accuracy: %.2f%% after one fine-tuning epoch (%.2f%% right after "
                            + "pruning), against %.2f%% for the unpruned MLP.",
                    HtmlPage.esc(smallest.setting()),
                    (double) result.plainParams() / smallest.params(),
                    HtmlPage.esc(smallest.label()),
                    100 * smallest.accuracyFineTuned(),
                    100 * smallest.accuracy(),
                    100 * result.pruningBaseline()));
        }
        if (best != null && best != smallest) {
            points.add(String.format(
                    Locale.ROOT,
                    "The best pruned network overall: %s at %s, %.2f%% " + "with %.2fx fewer parameters.",
                    HtmlPage.esc(best.label()),
                    HtmlPage.esc(best.setting()),
                    100 * best.accuracyFineTuned(),
                    (double) result.plainParams() / best.params()));
        }
        EpochSeparation separation = result.separation().isEmpty()
                ? null
                : result.separation().get(result.separation().size() - 1);
        if (separation != null && separation.msp() != null) {
            SeparationScore top = separation.scores().stream()
                    .filter(x -> !Double.isNaN(x.auroc()))
                    .max(Comparator.comparingDouble(SeparationScore::auroc))
                    .orElse(null);
            if (top != null) {
                points.add(String.format(
                        Locale.ROOT,
                        "Telling the %d misclassified test digits from the "
                                + "rest: the softmax's confidence does it with AUROC %.3f; the best layer measure (%s of %s, "
                                + "misclassified when %s) with %.3f%s.",
                        separation.misclassified(),
                        separation.msp().auroc(),
                        HtmlPage.esc(top.measure()),
                        HtmlPage.esc(top.layer()),
                        top.direction(),
                        top.auroc(),
                        top.auroc() > separation.msp().auroc() ? ", better than the softmax" : ""));
            }
        }
        html.append("<div class=\"box\"><b>What this run shows</b><ul>\n");
        points.forEach(point -> html.append("<li>").append(point).append("</li>\n"));
        html.append("</ul></div>\n");
    }

    private void training() {
        html.h2("training", "Training");
        EpochRecord last = result.lastEpoch();
        html.p(
                null,
                "Final test accuracy of the MLP: <span class=\"good\">" + fmt("%.4f", last.plainAccuracy())
                        + "</span>; of the double-layer network with the same parameter count: "
                        + fmt("%.4f", last.doubleAccuracy()) + ". The MLP's epoch time includes both listeners.");
        List<String[]> rows = new ArrayList<>();
        for (EpochRecord e : result.epochs()) {
            rows.add(new String[] {
                String.valueOf(e.epoch()),
                fmt("%.4f", e.plainAccuracy()),
                fmt("%.4f", e.doubleAccuracy()),
                fmt("%.1f", e.plainSeconds()),
                fmt("%.1f", e.analysisSeconds()),
                fmt("%.1f", e.doubleSeconds())
            });
        }
        html.table(
                new String[] {
                    "epoch",
                    "MLP accuracy",
                    "double-layer accuracy",
                    "MLP epoch (s)",
                    "of which spectra (s)",
                    "double-layer epoch (s)"
                },
                rows);
    }

    private void spectra() {
        html.h2("spectra", "Spectra per layer across epochs");
        html.p(
                null,
                "Per dense layer and epoch, from <code>ReluSpectraListener</code> (ReLU singular values over the "
                        + "first " + DemoConfig.LISTENER_FIT_SAMPLES + " training digits at ranks 0 to 64, the top "
                        + result.config().topK()
                        + " sequential ReLU singular values, both warm-started from the previous "
                        + "epoch; 64 Gaussian samples for the widths). Every epoch's numbers are in "
                        + "<a href=\"spectra.jsonl\">spectra.jsonl</a>.");
        for (var layer : DemoCharts.byLayer(result.spectra()).entrySet()) {
            List<EpochLayer> epochs = layer.getValue();
            LayerAnalysis last = epochs.get(epochs.size() - 1).analysis();
            html.append("<h3>")
                    .append(HtmlPage.esc(layer.getKey()))
                    .append(" — ")
                    .append(HtmlPage.esc(last.type()))
                    .append(' ')
                    .append(last.nOut())
                    .append('×')
                    .append(last.nIn())
                    .append(", ")
                    .append(HtmlPage.esc(last.activation()))
                    .append("</h3>\n");
            List<String[]> rows = new ArrayList<>();
            for (EpochLayer e : epochs) {
                LayerAnalysis a = e.analysis();
                double[] ratios = a.reluRatios();
                MeanWidth w = a.width();
                rows.add(new String[] {
                    String.valueOf(e.epoch()),
                    fmt("%.4g", a.singularValues()[0]),
                    ratios == null ? "–" : fmt("%.4g", a.sequential().values()[0]),
                    ratios == null ? "–" : fmt("%.4f", ratios[0]),
                    ratios == null ? "–" : fmt("%.4f", ratios[ratios.length - 1]),
                    w == null ? "–" : fmt("%.4g", w.linear()),
                    w == null || Double.isNaN(w.relu()) ? "–" : fmt("%.4g", w.relu()),
                    w == null || Double.isNaN(w.relu()) ? "–" : fmt("%.4f", w.reluToLinear())
                });
            }
            if (last.sequential() == null) {
                // not a ReLU layer: its classical values and linear width only
                html.table(
                        new String[] {"epoch", "σ<sub>1</sub>", "w<sub>lin</sub>"},
                        rows.stream().map(r -> new String[] {r[0], r[1], r[5]}).toList());
            } else {
                int k = last.sequential().size();
                html.table(
                        new String[] {
                            "epoch",
                            "σ<sub>1</sub>",
                            "s<sub>1</sub>",
                            "s<sub>1</sub>/σ<sub>1</sub>",
                            "s<sub>" + k + "</sub>/σ<sub>" + k + "</sub>",
                            "w<sub>lin</sub>",
                            "w<sub>ReLU</sub>",
                            "w<sub>ReLU</sub>/w<sub>lin</sub>"
                        },
                        rows);
            }
            String file = ReportWriter.fileName(layer.getKey());
            html.img(ReportWriter.CHARTS + "/" + file + "-spectrum.png", "singular values of " + layer.getKey());
            if (last.sequential() != null) {
                html.img(DemoCharts.ratioFile(layer.getKey()), "s_k / sigma_k of " + layer.getKey());
            }
            html.img(ReportWriter.CHARTS + "/" + file + "-widths.png", "mean widths of " + layer.getKey());
            valuesOverData(layer.getKey(), last, epochs.get(epochs.size() - 1).epoch());
        }
    }

    /** The last epoch's ReLU singular values over data with their bounds, the chart across epochs. */
    private void valuesOverData(String layer, LayerAnalysis last, int epoch) {
        ReluValuesOverData v = last.overData();
        if (v == null) {
            return;
        }
        double s0 = v.values()[0];
        RankFit top = v.fits().get(v.fits().size() - 1);
        html.p(
                null,
                "ReLU singular values over data after epoch " + epoch + " (" + v.samples() + " inputs). "
                        + "The best rank-" + top.rank() + " replacement found misses at most "
                        + fmt("%.1f", 100 * top.value() / s0) + "% of what the layer does to its worst input (s<sub>"
                        + top.rank() + ",X</sub>/s<sub>0,X</sub>), "
                        + "against " + fmt("%.1f", 100 * top.svdValue() / s0)
                        + "% for the truncated SVD: the lower the "
                        + "curve, the fewer dimensions this layer needs on this data.");
        double[] sigma = last.singularValues();
        List<String[]> rows = new ArrayList<>();
        for (RankFit f : v.fits()) {
            rows.add(new String[] {
                String.valueOf(f.rank()),
                fmt("%.4g", f.value()),
                fmt("%.4f", f.value() / s0),
                fmt("%.4g", f.rms()),
                fmt("%.4g", f.svdValue()),
                fmt("%.4g", f.sigmaBound()),
                f.rank() < sigma.length ? fmt("%.4f", sigma[f.rank()] / sigma[0]) : "0"
            });
        }
        html.table(
                new String[] {
                    "k",
                    "s<sub>k,X</sub>",
                    "s<sub>k,X</sub>/s<sub>0,X</sub>",
                    "rms",
                    "SVD bound",
                    "σ<sub>k+1</sub> max||x||",
                    "σ<sub>k+1</sub>/σ<sub>1</sub>"
                },
                rows);
        html.img(
                ReportWriter.CHARTS + "/" + ReportWriter.fileName(layer) + "-values-over-data.png",
                "ReLU singular values over data of " + layer);
    }

    private void separation() {
        html.h2("separation", "Separation of misclassified digits");
        if (result.separation().isEmpty()) {
            html.p(null, "No separation scores were computed.");
            return;
        }
        EpochSeparation last = result.separation().get(result.separation().size() - 1);
        html.p(
                null,
                "From <code>SeparationListener</code> on the " + last.samples() + " test digits ("
                        + last.misclassified()
                        + " misclassified after the last epoch). For each ReLU layer and test digit with layer input h: the "
                        + "gain ||ReLU(A h + b)||/||h||, the fraction of active units, the local width E||J<sub>h</sub><sup>T"
                        + "</sup>g|| and the alignment ||X<sub>K</sub><sup>T</sup>h||/||h|| with the top ReLU singular "
                        + "vectors; the AUROC says how well each tells misclassified from correct digits (0.5 = not at all), "
                        + "beside the maximum softmax probability (MSP) of the output. Direction: whether higher or lower "
                        + "values mean misclassified (last epoch). Every epoch is in <a href=\"separation.json\">"
                        + "separation.json</a>.");
        Map<String, String[]> rows = new LinkedHashMap<>();
        int epochs = result.separation().size();
        for (int i = 0; i < epochs; i++) {
            EpochSeparation s = result.separation().get(i);
            List<SeparationScore> scores = new ArrayList<>();
            scores.add(s.msp());
            scores.addAll(s.scores());
            for (SeparationScore score : scores) {
                String[] row = rows.computeIfAbsent(score.layer() + "\u0000" + score.measure(), key -> {
                    String[] r = new String[epochs + 3];
                    r[0] = HtmlPage.esc(score.layer());
                    r[1] = HtmlPage.esc(score.measure());
                    java.util.Arrays.fill(r, 2, r.length, "–");
                    return r;
                });
                row[2 + i] = Double.isNaN(score.auroc()) ? "–" : fmt("%.3f", score.auroc());
                row[epochs + 2] = score.direction();
            }
        }
        String[] header = new String[epochs + 3];
        header[0] = "layer";
        header[1] = "measure";
        for (int i = 0; i < epochs; i++) {
            header[2 + i] = "AUROC epoch " + result.separation().get(i).epoch();
        }
        header[epochs + 2] = "misclassified when";
        html.table(header, new ArrayList<>(rows.values()), 2);
        html.img(DemoCharts.SEPARATION, "separation AUROC over epochs");
    }

    private void pruning() {
        html.h2("pruning", "Pruning");
        html.p(
                null,
                "Harmonic pruning keeps, for each hidden layer, the projection of its input on the r leading "
                        + "right singular vectors (SVD basis) or sequential ReLU singular vectors (ReLU basis); fitted pruning "
                        + "replaces the layer by a rank-r layer ReLU(W M x + c) fitted through the ReLU to the original "
                        + "layer's outputs on " + DemoConfig.PRUNING_FIT_SAMPLES
                        + " training digits, from the whitened SVD "
                        + "and layer by layer (under a budget its ranks come from the paper's ReLU singular values over "
                        + "data). The "
                        + "data-aware baselines on the same digits are closed forms: the whitened SVD (DRONE, SVD-LLM: the "
                        + "rank-r map nearest the layer on the centred inputs, the mean folded into the bias) and ASVD (the "
                        + "SVD of the weights scaled by the inputs' mean magnitude). r is the "
                        + "smallest rank carrying the energy share of the layer's σ<sub>k</sub><sup>2</sup>, or the ranks a "
                        + "global budget of hidden weights allows, the same for every method; a layer that saves parameters "
                        + "becomes two thin layers. Magnitude pruning keeps the same number of hidden weights (largest |w|). "
                        + "Each network is evaluated right after pruning and after one fine-tuning epoch; the fine-tuned "
                        + "models are saved. The trained MLP: " + result.plainParams() + " parameters, test accuracy "
                        + fmt("%.4f", result.pruningBaseline())
                        + ". Also in <a href=\"pruning.json\">pruning.json</a>.");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "trained MLP",
            "–",
            "–",
            "–",
            String.valueOf(result.plainParams()),
            "1.00",
            fmt("%.4f", result.pruningBaseline()),
            "–",
            "–",
            HtmlPage.link("model.zip")
        });
        for (PruningRow r : result.pruning()) {
            rows.add(new String[] {
                HtmlPage.esc(r.method()),
                HtmlPage.esc(r.basis()),
                HtmlPage.esc(r.setting()),
                HtmlPage.esc(r.ranks()),
                String.valueOf(r.params()),
                fmt("%.2f", (double) result.plainParams() / r.params()),
                fmt("%.4f", r.accuracy()),
                fmt("%.4f", r.accuracyFineTuned()),
                fmt("%.1f", r.seconds()),
                HtmlPage.link(r.model())
            });
        }
        html.table(
                new String[] {
                    "method",
                    "basis",
                    "setting",
                    "ranks",
                    "parameters",
                    "× fewer",
                    "accuracy",
                    "after 1 epoch",
                    "pruning (s)",
                    "model"
                },
                rows,
                2);
        html.img(DemoCharts.PRUNING, "accuracy against parameters");
    }

    private void doubleLayers() {
        html.h2("double", "Plain against double layers");
        EpochRecord last = result.lastEpoch();
        html.p(
                null,
                "The double layer keeps both signs of the pre-activation, z ↦ [ReLU(z); ReLU(−z)], so ReLU "
                        + "discards nothing: its operator is D = [A; −A] and s<sub>k</sub>(D) = σ<sub>k</sub>(A) = "
                        + "σ<sub>k</sub>(D)/√2. The "
                        + "double-layer network (<code>DoubleLayerVertex</code>) has widths "
                        + describe(result.doubleWidths())
                        + " so that its parameter count matches the MLP's; both saw the same minibatches.");
        html.table(
                new String[] {"network", "widths", "parameters", "final accuracy", "best accuracy", "model"},
                List.of(
                        new String[] {
                            "ReLU MLP",
                            describe(result.config().hidden()),
                            String.valueOf(result.plainParams()),
                            fmt("%.4f", last.plainAccuracy()),
                            fmt("%.4f", best(true)),
                            HtmlPage.link("model.zip")
                        },
                        new String[] {
                            "double layers",
                            describe(result.doubleWidths()) + " (×2 outputs)",
                            String.valueOf(result.doubleParams()),
                            fmt("%.4f", last.doubleAccuracy()),
                            fmt("%.4f", best(false)),
                            HtmlPage.link("model-double.zip")
                        }),
                2);
        html.img(DemoCharts.PLAIN_VS_DOUBLE, "test accuracy of both networks over epochs");
        if (result.doubleSpectra().isEmpty()) {
            return;
        }
        EpochSpectra spectra = result.doubleSpectra().get(result.doubleSpectra().size() - 1);
        List<String[]> rows = new ArrayList<>();
        for (LayerAnalysis a : spectra.layers()) {
            if (a.sequential() == null) {
                continue;
            }
            // sigma_k(D) = sqrt 2 sigma_k(A) for D = [A; -A], and s_k(D) = sigma_k(A).
            double[] s = a.sequential().values();
            double first = s[0] * Math.sqrt(2) / a.singularValues()[0];
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (int k = 0; k < s.length; k++) {
                double ratio = s[k] * Math.sqrt(2) / a.singularValues()[k];
                min = Math.min(min, ratio);
                max = Math.max(max, ratio);
            }
            rows.add(new String[] {
                HtmlPage.esc(a.name()),
                HtmlPage.esc(a.type()),
                a.nOut() + "×" + a.nIn(),
                fmt("%.4f", first),
                fmt("%.4f", min),
                fmt("%.4f", max)
            });
        }
        html.p(
                null,
                "The ReLU spectrum of the trained double layers after the last epoch (top "
                        + result.config().topK()
                        + "), with σ<sub>k</sub>(A) = σ<sub>k</sub>(D)/√2: by the theory every s<sub>k</sub>(D)/σ<sub>k</sub>(A)"
                        + " is 1 (nothing lost to ReLU); compare the plain MLP's s<sub>k</sub>/σ<sub>k</sub> above.");
        html.table(
                new String[] {
                    "layer",
                    "type",
                    "operator D",
                    "s<sub>1</sub>(D)/σ<sub>1</sub>(A)",
                    "min<sub>k</sub> s<sub>k</sub>(D)/σ<sub>k</sub>(A)",
                    "max<sub>k</sub> s<sub>k</sub>(D)/σ<sub>k</sub>(A)"
                },
                rows,
                3);
        for (LayerAnalysis a : spectra.layers()) {
            if (a.sequential() != null) {
                html.img(
                        ReportWriter.CHARTS + "/" + ReportWriter.fileName(a.name()) + "-spectrum.png",
                        "singular values of " + a.name());
            }
        }
    }

    private void files() {
        html.h2("files", "Files");
        html.append("<ul>\n");
        html.item(
                "spectra.jsonl",
                "one JSON line per epoch: every layer's singular values, ReLU singular values, widths");
        html.item(ReportWriter.SEPARATION, "AUROC per epoch, layer and measure, with MSP");
        html.item(ReportWriter.PRUNING, "the pruning table");
        html.item(ReportWriter.TRAINING, "accuracy and time per epoch of both networks, provenance");
        html.item("model.zip", "the trained MLP (ModelSerializer)");
        html.item("model-double.zip", "the trained double-layer ComputationGraph");
        for (PruningRow r : result.pruning()) {
            html.item(r.model(), "pruned (" + r.label() + ", " + r.setting() + ") and fine-tuned");
        }
        html.append("</ul>\n");
        html.p(
                null,
                "The models work with the project's tools, for example <code>java -jar relu-spectra.jar analyze "
                        + "--model model.zip</code> and <code>java -jar harmonic-pruning.jar prune --model model.zip --out "
                        + "smaller.zip --budget 0.25</code>.");
    }

    private double best(boolean plain) {
        return result.epochs().stream()
                .mapToDouble(e -> plain ? e.plainAccuracy() : e.doubleAccuracy())
                .max()
                .orElse(Double.NaN);
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
