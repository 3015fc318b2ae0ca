package io.lakestream.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension sharing one {@link MotoServer} across every test class of a run (started on first use,
 * stopped when the run ends) and resetting its state before each test. Inject it as a {@code MotoServer}
 * parameter of a test method, constructor or lifecycle method.
 *
 * <pre>{@code
 * @ExtendWith(MotoExtension.class)
 * class S3ObjectStoreIT {
 *     @Test void shouldX(MotoServer moto) { ... moto.clients().s3() ... }
 * }
 * }</pre>
 */
public final class MotoExtension implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        server(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The run-wide server; the root store closes it (an AutoCloseable) when the run ends. */
    private static MotoServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(MotoServer.class, type -> MotoServer.start(), MotoServer.class);
    }
}
