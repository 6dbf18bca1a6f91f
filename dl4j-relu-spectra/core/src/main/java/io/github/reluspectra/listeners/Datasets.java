package io.github.reluspectra.listeners;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** What the listeners read of a user's iterator (whole, or its first examples; reset after), and their option checks. */
final class Datasets {

    private Datasets() {}

    /** Refuses a missing iterator or a sample count below 1 (builder options). */
    static void requireSample(DataSetIterator iterator, int samples) {
        if (iterator == null) {
            throw new IllegalArgumentException("a DataSetIterator is required");
        }
        requireAtLeast("samples", samples, 1);
    }

    /** Refuses a builder option below its minimum, naming it. */
    static void requireAtLeast(String option, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(option + " must be at least " + minimum + ", got " + value);
        }
    }

    /** A copy of the input types a builder was given, refusing null ones. */
    static InputType[] requireInputTypes(InputType... types) {
        if (types == null || java.util.Arrays.stream(types).anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("input types must not be null");
        }
        return types.clone();
    }

    /** Every example of the iterator as one DataSet. */
    static DataSet all(DataSetIterator iterator) {
        return merged(iterator, Integer.MAX_VALUE);
    }

    /** The features of the first {@code samples} examples (fewer if the iterator has fewer). */
    static INDArray firstFeatures(DataSetIterator iterator, int samples) {
        INDArray features = merged(iterator, samples).getFeatures();
        // the first samples along the example axis, whatever the rank (images may be 4D)
        INDArrayIndex[] first = new INDArrayIndex[features.rank()];
        java.util.Arrays.fill(first, NDArrayIndex.all());
        first[0] = NDArrayIndex.interval(0, Math.min(samples, features.size(0)));
        return features.get(first).dup();
    }

    private static DataSet merged(DataSetIterator iterator, int samples) {
        iterator.reset();
        List<DataSet> batches = new ArrayList<>();
        long count = 0;
        while (iterator.hasNext() && count < samples) {
            DataSet batch = iterator.next();
            batches.add(batch);
            count += batch.numExamples();
        }
        iterator.reset();
        if (batches.isEmpty()) {
            throw new IllegalStateException("the iterator has no data");
        }
        return DataSet.merge(batches);
    }
}
