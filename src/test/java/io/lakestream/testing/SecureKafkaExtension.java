package io.lakestream.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension sharing one {@link SecureKafka} broker (all security protocols, test certificates) across
 * every test class of a run; started on first use, stopped with its certificates when the run ends. Inject it as
 * a {@code SecureKafka} parameter; tests share it, so each uses its own topics, group and transactional ids.
 */
public final class SecureKafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SecureKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SecureKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SecureKafka.class, type -> SecureKafka.start(), SecureKafka.class);
    }
}
