package io.github.reluspectra.report;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.SequentialReluOptions;
import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one JSON writer of the project (Jackson databind): records are written field by field under their
 * component names; a NaN (a quantity that does not apply, an AUROC without both classes) is written as null;
 * an infinite number is an error, never a string in a numeric field. Warm starts inside options (previous
 * results, not settings) are left out.
 */
public final class Json {

    private static final ObjectMapper MAPPER = mapper();

    private Json() {}

    /** One document, indented. */
    public static String pretty(Object document) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One document on one line (JSON lines). */
    public static String line(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        mapper.addMixIn(SequentialReluOptions.class, WithoutWarmStart.class);
        mapper.addMixIn(ReluFitOptions.class, WithoutWarmStart.class);
        SimpleModule numbers = new SimpleModule("finite-numbers");
        numbers.addSerializer(Double.class, new FiniteDouble());
        numbers.addSerializer(double.class, new FiniteDouble());
        numbers.addSerializer(double[].class, new FiniteDoubles());
        numbers.addSerializer(INDArray.class, new NoArrays());
        mapper.registerModule(numbers);
        return mapper;
    }

    private abstract static class WithoutWarmStart {
        @JsonIgnore
        Object warmStart;
    }

    private static void write(double v, JsonGenerator gen) throws IOException {
        if (Double.isNaN(v)) {
            gen.writeNull();
        } else if (Double.isInfinite(v)) {
            throw JsonMappingException.from(gen, v + " is not a number JSON can carry");
        } else {
            gen.writeNumber(v);
        }
    }

    private static final class FiniteDouble extends StdSerializer<Double> {
        FiniteDouble() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            write(value, gen);
        }
    }

    private static final class FiniteDoubles extends StdSerializer<double[]> {
        FiniteDoubles() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(values, values.length);
            for (double v : values) {
                write(v, gen);
            }
            gen.writeEndArray();
        }
    }

    /** A document that reaches an INDArray has a bug in its schema: matrices never go into JSON. */
    private static final class NoArrays extends StdSerializer<INDArray> {
        NoArrays() {
            super(INDArray.class);
        }

        @Override
        public void serialize(INDArray value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            throw JsonMappingException.from(gen, "an INDArray is not part of any document");
        }
    }
}
