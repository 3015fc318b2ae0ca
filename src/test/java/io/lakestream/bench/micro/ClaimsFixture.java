package io.lakestream.bench.micro;

import io.lakestream.bench.BenchLogging;
import io.lakestream.bench.ClaimGenerator;
import io.lakestream.config.ConfigLoader;
import io.lakestream.config.PipelineConfig;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The claims pipeline of {@code config/claims.yaml} and raw claims for it, shared by the microbenchmarks.
 *
 * <p>{@code normalize.Normalizer} is package-private (the stage's public face is {@code NormalizeStage}, a
 * topology builder); the benchmark reaches its constructor and {@code normalize(byte[])} through method handles
 * held in static finals, which the JIT inlines like a direct call.
 */
final class ClaimsFixture {

    static final Path CONFIG = Path.of("config/claims.yaml");
    private static final MethodHandle NEW_NORMALIZER;
    private static final MethodHandle NORMALIZE;
    private static final MethodHandle RESULT_VALUE;

    static {
        try {
            Class<?> normalizer = Class.forName("io.lakestream.normalize.Normalizer");
            Class<?> result = Class.forName("io.lakestream.normalize.Normalizer$Result");
            NEW_NORMALIZER = constructor(normalizer, PipelineConfig.class, Schema.class, boolean.class);
            NORMALIZE = method(normalizer, "normalize", MethodType.methodType(result, byte[].class));
            RESULT_VALUE = method(result, "value", MethodType.methodType(GenericRecord.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The constructor of package-private {@code type}, returning Object. */
    static MethodHandle constructor(Class<?> type, Class<?>... parameters) throws ReflectiveOperationException {
        MethodHandle h = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                .findConstructor(type, MethodType.methodType(void.class, parameters));
        return h.asType(h.type().changeReturnType(Object.class));
    }

    /**
     * Method {@code name} of package-private {@code type}, taking its receiver as Object and returning Object where
     * it would return a type the caller cannot name.
     */
    static MethodHandle method(Class<?> type, String name, MethodType signature) throws ReflectiveOperationException {
        MethodHandle h = MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findVirtual(type, name, signature);
        MethodType erased = h.type().changeParameterType(0, Object.class);
        if (!signature.returnType().isPrimitive()
                && !java.lang.reflect.Modifier.isPublic(signature.returnType().getModifiers())) {
            erased = erased.changeReturnType(Object.class);
        }
        return h.asType(erased);
    }

    /** Static method {@code name} of package-private {@code type}, taking what the caller cannot name as Object. */
    static MethodHandle staticMethod(Class<?> type, String name, MethodType signature)
            throws ReflectiveOperationException {
        MethodHandle h = MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findStatic(type, name, signature);
        MethodType erased = h.type();
        for (int i = 0; i < erased.parameterCount(); i++) {
            if (!java.lang.reflect.Modifier.isPublic(erased.parameterType(i).getModifiers())) {
                erased = erased.changeParameterType(i, Object.class);
            }
        }
        return h.asType(erased);
    }

    final PipelineConfig pipeline;
    final Schema schema;
    final Object normalizer;

    ClaimsFixture() {
        this(true);
    }

    /** @param fastPath false to normalize every claim through the JSON tree (the fast path's reference) */
    ClaimsFixture(boolean fastPath) {
        // JMH forks start with logback's DEBUG default; Parquet alone would log per page and swamp the timing.
        BenchLogging.quiet();
        pipeline = ConfigLoader.load(CONFIG, Map.of()).pipelines().get(0);
        schema = ConfigLoader.schemaOf(pipeline);
        try {
            normalizer = NEW_NORMALIZER.invokeExact(pipeline, schema, fastPath);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot build the claims normalizer", t);
        }
    }

    /** Normalizer.Result of one raw value (throws NormalizeException for a dead letter). */
    Object normalize(byte[] raw) {
        try {
            return NORMALIZE.invokeExact(normalizer, raw);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    GenericRecord normalizedValue(byte[] raw) {
        try {
            return (GenericRecord) RESULT_VALUE.invokeExact(normalize(raw));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code count} distinct raw claims of about {@code size} bytes (the harness's generator, same seed). */
    static byte[][] rawClaims(int count, int size) {
        ClaimGenerator claims = new ClaimGenerator(count, size, 200, ClaimGenerator.DEFAULT_START, 42L);
        byte[][] raw = new byte[count][];
        for (int i = 0; i < count; i++) {
            raw[i] = claims.value(i);
        }
        return raw;
    }
}
