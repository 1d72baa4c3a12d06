package dev.hangar.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gateway path a custom service is sent requests without: the app's, however its names read. */
class GatewayPathTest {
    @ParameterizedTest
    @CsvSource({
        "/workspaces/ws/computes/ci/apps/web.page/marker.html?x=1, /workspaces/ws/computes/ci/apps/web.page, /marker.html?x=1",
        "/workspaces/ws/computes/ci/apps/web.page/, /workspaces/ws/computes/ci/apps/web.page, /",
        "/workspaces/apps/computes/apps/apps/apps.apps/apps/, /workspaces/apps/computes/apps/apps/apps.apps, /apps/",
        "/workspaces/ws/computes/ci/apps/web.page, /workspaces/ws/computes/ci/apps/web.page, /",
    })
    void splitsAfterTheAppsName(String uri, String prefix, String rest) {
        assertThat(AppProxies.splitGatewayPath(uri)).containsExactly(prefix, rest);
    }
}
