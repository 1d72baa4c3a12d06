package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.server.metrics.MeteredBackend;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The timed backend forwards every call: a method of {@link ComputeBackend} it left to the interface's default would
 * answer the default instead of the backend's own answer (a container backend would seem to run no images).
 */
class MeteredBackendTest {
    @Test
    void everyMethodOfTheBackendIsForwarded() throws NoSuchMethodException {
        for (Method method : ComputeBackend.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            var own = MeteredBackend.class.getMethod(method.getName(), method.getParameterTypes());
            assertThat(own.getDeclaringClass()).as(method.getName() + Arrays.toString(method.getParameterTypes()))
                    .isEqualTo(MeteredBackend.class);
        }
    }
}
