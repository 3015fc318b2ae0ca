package io.lakestream.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension sharing one {@link MotoServer} ({@link MotoServer#shared()}: started on first use, stopped
 * when the JVM exits) across every test class of a run, and resetting its state before each test. Inject it as
 * a {@code MotoServer} parameter of a test method, constructor or lifecycle method.
 *
 * <pre>{@code
 * @ExtendWith(MotoExtension.class)
 * class S3ObjectStoreIT {
 *     @Test void shouldX(MotoServer moto) { ... moto.clients().s3() ... }
 * }
 * }</pre>
 */
public final class MotoExtension implements BeforeEachCallback, ParameterResolver {

    @Override
    public void beforeEach(ExtensionContext context) {
        MotoServer.shared().reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return MotoServer.shared();
    }
}
