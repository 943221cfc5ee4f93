package dev.pawkit.sync.client;

import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.testsupport.EmbeddedStack;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server for the client's tests (test-support's {@link EmbeddedStack}: a KRaft broker and
 * the whole application in this JVM), started once per test JVM and shared by every test class
 * through {@link StackTest#stack}. Tests isolate themselves by user.
 *
 * <p>JUnit closes what the root store holds when the run ends, before the JVM's own shutdown hooks
 * delete the broker's files.
 */
final class TestStack implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        StackTest.stack = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(EmbeddedStack.class, key -> EmbeddedStack.start(PawkitApplication.class,
                        Map.of("pawkit.projector.application-id", "pawkit-projector-client-it")), EmbeddedStack.class);
    }
}
