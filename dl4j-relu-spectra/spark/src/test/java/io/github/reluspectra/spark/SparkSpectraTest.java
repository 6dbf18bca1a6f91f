package io.github.reluspectra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.pruning.Basis;
import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.PruningResult;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.ReplacementError;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The listeners on the driver of a Spark training run, and the data passes as Spark jobs against one JVM. */
class SparkSpectraTest {

    private static final double SAME = 1e-9;
    private static JavaSparkContext sc;
    private static List<DataSet> train;
    private static List<DataSet> heldOut;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start();
        train = LocalSpark.batches(1, 640);
        heldOut = LocalSpark.batches(2, 320);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    @Test
    void bothListenersRecordEachEpochOfSparkTraining() {
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(4)
                .data(local(train), 200)
                .failFast(true)
                .build();
        SeparationListener separation = SeparationListener.builder(local(heldOut))
                .fitData(local(train), 200)
                .failFast(true)
                .build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, LocalSpark.network(), LocalSpark.trainingMaster());

        MultiLayerNetwork trained = SparkSpectra.fit(sparkNet, LocalSpark.rdd(sc, train), 2, spectra, separation);

        assertThat(spectra.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1);
        assertThat(separation.history()).extracting(EpochSeparation::epoch).containsExactly(0, 1);
        assertThat(spectra.history()).allSatisfy(e -> {
            assertThat(e.failures()).isEmpty();
            assertThat(e.layers()).extracting(a -> a.name()).contains("hidden1", "hidden2");
            assertThat(layer(e, "hidden1").overData()).isNotNull();
        });
        assertThat(separation.history()).allSatisfy(e -> {
            assertThat(e.samples()).isEqualTo(320);
            assertThat(e.scores()).extracting(SeparationScore::measure).contains("residual", "alignment");
        });
        assertThat(trained.getEpochCount()).isEqualTo(2);
        // the second epoch's records describe the trained network, not the first epoch's
        assertThat(layer(spectra.history().get(1), "hidden1").singularValues()[0])
                .isNotEqualTo(layer(spectra.history().get(0), "hidden1").singularValues()[0]);
    }

    @Test
    void aGraphTrainsOnSparkWithTheListenerOnTheDriver() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "hidden",
                        new DenseLayer.Builder()
                                .nIn(LocalSpark.FEATURES)
                                .nOut(8)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(8)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "hidden")
                .setOutputs("out")
                .build();
        ReluSpectraListener spectra =
                ReluSpectraListener.builder().topK(2).failFast(true).build();

        ComputationGraph trained = SparkSpectra.fit(
                new SparkComputationGraph(sc, conf, LocalSpark.trainingMaster()),
                LocalSpark.rdd(sc, train),
                2,
                spectra);

        assertThat(spectra.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1);
        assertThat(spectra.history())
                .allSatisfy(
                        e -> assertThat(layer(e, "hidden").sequential().size()).isEqualTo(2));
        assertThat(trained.getConfiguration().getEpochCount()).isEqualTo(2);
    }

    @Test
    void valuesOverDataOfTheWholeRddEqualOneJvm() {
        MultiLayerNetwork net = LocalSpark.network();
        ReluFitOptions options = ReluFitOptions.builder().ranks(0, 1, 2, 4).build();

        List<RddValuesOverData> distributed =
                SparkValuesOverData.compute(sc, net, LocalSpark.rdd(sc, train), 100, options);

        INDArray all = DataSet.merge(train).getFeatures();
        List<LayerOperator> layers = SparkValuesOverData.denseReluLayers(net);
        Map<String, INDArray> inputs = Networks.layerInputs(net, layers, all);
        assertThat(distributed).extracting(RddValuesOverData::layer).containsExactly("hidden1", "hidden2");
        for (RddValuesOverData d : distributed) {
            LayerOperator layer = layers.stream()
                    .filter(l -> l.name().equals(d.layer()))
                    .findFirst()
                    .orElseThrow();
            INDArray h = inputs.get(d.layer()).castTo(DataType.DOUBLE);
            ReluValuesOverData local = ReluSingularValues.compute(
                    layer.weights(),
                    layer.bias(),
                    h.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 100))
                            .dup(),
                    options);
            assertThat(d.sampleFit().values()).containsExactly(local.values(), within(SAME));
            assertThat(d.samples()).isEqualTo(640);
            for (int i = 0; i < d.ranks().length; i++) {
                RankFit f = d.sampleFit().fits().get(i);
                ReplacementError e = ReplacementError.of(layer.weights(), layer.bias(), h, f.w(), f.m(), layer.bias());
                assertThat(d.max()[i]).as("max, rank %d", f.rank()).isCloseTo(e.value(), within(SAME));
                assertThat(d.rms()[i]).as("RMS, rank %d", f.rank()).isCloseTo(e.rms(), within(SAME));
                // over all 640 inputs the sample's fit can only do worse than over its 100
                assertThat(d.max()[i]).isGreaterThanOrEqualTo(f.value() - SAME);
            }
            assertThat(d.max()[0])
                    .isCloseTo(
                            ReplacementError.of(
                                            layer.weights(),
                                            layer.bias(),
                                            h,
                                            d.sampleFit().fits().get(1).w(),
                                            d.sampleFit().fits().get(1).m(),
                                            layer.bias())
                                    .rankZeroValue(),
                            within(SAME));
        }
    }

    @Test
    void separationOnExecutorsEqualsTheListener() {
        MultiLayerNetwork net = LocalSpark.network();
        new SparkDl4jMultiLayer(sc, net, LocalSpark.trainingMaster()).fit(LocalSpark.rdd(sc, train));
        SeparationListener listener = SeparationListener.builder(local(heldOut))
                .fitData(local(train), 200)
                .failFast(true)
                .build();

        EpochSeparation one = listener.measureNow(net);
        EpochSeparation spark = SparkSeparation.builder()
                .fitData(LocalSpark.rdd(sc, train), 200)
                .build()
                .measure(sc, net, LocalSpark.rdd(sc, heldOut));

        assertThat(spark.samples()).isEqualTo(one.samples());
        assertThat(spark.misclassified()).isEqualTo(one.misclassified()).isPositive();
        assertThat(spark.msp().auroc()).isCloseTo(one.msp().auroc(), within(SAME));
        assertThat(spark.scores()).hasSameSizeAs(one.scores());
        for (int i = 0; i < one.scores().size(); i++) {
            SeparationScore expected = one.scores().get(i);
            SeparationScore actual = spark.scores().get(i);
            assertThat(actual.layer() + " " + actual.measure()).isEqualTo(expected.layer() + " " + expected.measure());
            assertThat(actual.auroc())
                    .as(actual.layer() + " " + actual.measure())
                    .isCloseTo(expected.auroc(), within(SAME));
        }
    }

    @Test
    void pruningFromAnRddEqualsPruningFromLocalData() {
        MultiLayerNetwork net = LocalSpark.network();
        new SparkDl4jMultiLayer(sc, net, LocalSpark.trainingMaster()).fit(LocalSpark.rdd(sc, train));
        INDArray firstSamples = DataSet.merge(train)
                .getFeatures()
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 150))
                .dup();

        PruningResult local = HarmonicPruningTransform.builder()
                .basis(Basis.FITTED)
                .rank(3)
                .data(firstSamples)
                .build()
                .transform(net);
        PruningResult spark = SparkPruning.prune(
                HarmonicPruningTransform.builder().basis(Basis.FITTED).rank(3), net, LocalSpark.rdd(sc, train), 150);

        assertThat(spark.network().numParams())
                .isEqualTo(local.network().numParams())
                .isLessThan(net.numParams());
        assertThat(spark.network().params().equalsWithEps(local.network().params(), 1e-12))
                .isTrue();

        MultiLayerNetwork tuned =
                SparkPruning.fineTune(sc, spark.network(), LocalSpark.trainingMaster(), LocalSpark.rdd(sc, train), 1);
        assertThat(tuned.numParams()).isEqualTo(local.network().numParams());
        assertThat(tuned.params().equalsWithEps(local.network().params(), 1e-6)).isFalse();
        assertThat(tuned.params().isInfinite().any() || tuned.params().isNaN().any())
                .isFalse();
    }

    @Test
    void badArgumentsAreNamed() {
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, LocalSpark.network(), LocalSpark.trainingMaster());
        JavaRDD<DataSet> data = LocalSpark.rdd(sc, train);
        assertThatThrownBy(() -> SparkSpectra.fit(sparkNet, data, 0)).hasMessageContaining("epochs must be at least 1");
        assertThatThrownBy(() -> SparkSeparation.builder().alignmentK(0).build())
                .hasMessageContaining("alignmentK");
        assertThatThrownBy(() -> SparkValuesOverData.compute(
                        sc,
                        LocalSpark.network(),
                        sc.emptyRDD(),
                        10,
                        ReluFitOptions.builder().build()))
                .hasMessageContaining("the RDD has no data");
    }

    private static io.github.reluspectra.results.LayerAnalysis layer(EpochSpectra e, String name) {
        return e.layers().stream()
                .filter(a -> a.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static ListDataSetIterator<DataSet> local(List<DataSet> batches) {
        return new ListDataSetIterator<>(batches, LocalSpark.BATCH);
    }
}
