package io.github.reluspectra.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Samples of an RDD brought to the driver, in the RDD's order. */
final class RddSamples {

    private RddSamples() {}

    /**
     * The features of the first {@code samples} examples of {@code data} (fewer if it has fewer), in its order:
     * the same as the first {@code samples} of a local iterator over the same minibatches. Partitions are read one
     * after another, only as far as needed.
     */
    static INDArray firstFeatures(JavaRDD<DataSet> data, int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        List<DataSet> batches = new ArrayList<>();
        long count = 0;
        Iterator<DataSet> it = data.toLocalIterator();
        while (it.hasNext() && count < samples) {
            DataSet batch = it.next();
            batches.add(batch);
            count += batch.numExamples();
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("the RDD has no data");
        }
        INDArray features = DataSet.merge(batches).getFeatures();
        INDArrayIndex[] first = new INDArrayIndex[features.rank()];
        Arrays.fill(first, NDArrayIndex.all());
        first[0] = NDArrayIndex.interval(0, Math.min(samples, features.size(0)));
        return features.get(first).dup();
    }
}
