package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** A private seeded ND4J generator, so analyses never touch (or depend on) the global one. */
final class Gaussians implements AutoCloseable {

    private final Random random;

    Gaussians(long seed) {
        this.random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** A new array of standard normal samples. */
    INDArray sample(DataType type, long... shape) {
        INDArray out = Nd4j.create(type, shape, 'f');
        return Nd4j.randn(out, random);
    }

    @Override
    public void close() {
        try {
            random.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release the random generator", e);
        }
    }
}
