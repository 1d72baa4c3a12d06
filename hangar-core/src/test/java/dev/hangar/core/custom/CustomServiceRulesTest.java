package dev.hangar.core.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.custom.CustomService.Endpoint;
import dev.hangar.core.custom.CustomService.Protocol;
import dev.hangar.core.custom.CustomService.Volume;
import dev.hangar.core.error.ApiException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CustomServiceRulesTest {
    private static final String FIELD = "properties.properties.customServices";

    static CustomService web(String name, Endpoint endpoint, Volume... volumes) {
        return new CustomService(name, "localhost/web:1", List.of(endpoint), Map.of("MARKER", "m"),
                List.of(volumes));
    }

    static Endpoint http(String name, int target, Integer published) {
        return new Endpoint(name, Protocol.http, target, published, null);
    }

    @Test
    void azuresOwnShapesAndEveryFolderOfTheInstanceAreTaken() {
        var rstudio = new CustomService("rstudio-workbench", "ghcr.io/azure/rstudio-workbench:latest",
                List.of(new Endpoint("connect", Protocol.http, 8787, 4444, null),
                        new Endpoint("api", Protocol.tcp, 9000, null, "127.0.0.1")),
                Map.of("RSP_LICENSE", "XXXX-1", "_x1", ""),
                List.of(new Volume("/home/azureuser/cloudfiles", "/home/azureuser/cloudfiles", false),
                        new Volume("/home/azureuser/", "/mnt/home/", true),
                        new Volume("/home/azureuser/cloudfiles/code", "/srv/www", true)));
        var other = web("web_2", http("page", 8787, 4445));
        assertThatCode(() -> CustomServiceRules.check(List.of(rstudio, other), FIELD)).doesNotThrowAnyException();
        assertThat(rstudio.volumes()).extracting(Volume::kind)
                .containsExactly(VolumeSource.CLOUD_FILES, VolumeSource.HOME, VolumeSource.FILE_SHARE);
        assertThat(rstudio.appName(rstudio.endpoints().getFirst())).isEqualTo("rstudio-workbench.connect");
        assertThat(rstudio.displayName(rstudio.endpoints().getFirst())).isEqualTo("rstudio-workbench/connect");
    }

    static Stream<Arguments> refusals() {
        var ok = http("web", 8080, null);
        return Stream.of(
                Arguments.of("a name with a dot", List.of(web("a.b", ok)), CustomServiceRules.INVALID, "[0].name"),
                Arguments.of("an empty name", List.of(web("", ok)), CustomServiceRules.INVALID, "[0].name"),
                Arguments.of("a name of 33 characters", List.of(web("a".repeat(33), ok)), CustomServiceRules.INVALID,
                        "[0].name"),
                Arguments.of("Jupyter's name", List.of(web("Jupyter", ok)), CustomServiceRules.INVALID, "[0].name"),
                Arguments.of("the terminal's name", List.of(web("terminal", ok)), CustomServiceRules.INVALID,
                        "[0].name"),
                Arguments.of("one name twice, in other cases", List.of(web("web", ok), web("WEB", ok)),
                        CustomServiceRules.INVALID, "[1].name"),
                Arguments.of("an image that is no reference", List.of(new CustomService("web", "-v /:/host",
                        List.of(ok), null, null)), CustomServiceRules.INVALID, "[0].image.reference"),
                Arguments.of("no image", List.of(new CustomService("web", null, List.of(ok), null, null)),
                        CustomServiceRules.INVALID, "[0].image.reference"),
                Arguments.of("an endpoint name with a slash", List.of(web("web", http("a/b", 80, null))),
                        CustomServiceRules.INVALID, "[0].endpoints[0].name"),
                Arguments.of("port 0", List.of(web("web", http("page", 0, null))), CustomServiceRules.INVALID,
                        "[0].endpoints[0].target"),
                Arguments.of("port 65536", List.of(web("web", http("page", 65_536, null))),
                        CustomServiceRules.INVALID, "[0].endpoints[0].target"),
                Arguments.of("a published port out of range", List.of(web("web", http("page", 80, -1))),
                        CustomServiceRules.INVALID, "[0].endpoints[0].published"),
                Arguments.of("Jupyter's port published", List.of(web("web", http("page", 80, 8888))),
                        CustomServiceRules.INVALID, "[0].endpoints[0].published"),
                Arguments.of("SSH's port published", List.of(web("web", http("page", 80, 22))),
                        CustomServiceRules.INVALID, "[0].endpoints[0].published"),
                Arguments.of("one published port twice", List.of(web("a", http("page", 80, 8080)),
                        web("b", http("page", 80, 8080))), CustomServiceRules.INVALID, "[1].endpoints[0].published"),
                Arguments.of("two endpoints on one target", List.of(new CustomService("web", "web",
                        List.of(http("a", 80, null), http("b", 80, null)), null, null)), CustomServiceRules.INVALID,
                        "[0].endpoints[1].target"),
                Arguments.of("two endpoints of one name", List.of(new CustomService("web", "web",
                        List.of(http("a", 80, null), http("A", 81, null)), null, null)), CustomServiceRules.INVALID,
                        "[0].endpoints[1].name"),
                Arguments.of("a host address other than loopback", List.of(web("web", new Endpoint("page",
                        Protocol.http, 80, null, "0.0.0.0"))), CustomServiceRules.INVALID,
                        "[0].endpoints[0].hostIp"),
                Arguments.of("a variable name with a dash", List.of(new CustomService("web", "web", List.of(ok),
                        Map.of("A-B", "x"), null)), CustomServiceRules.INVALID, "[0].environmentVariables.A-B"),
                Arguments.of("a host path", List.of(web("web", ok, new Volume("/etc", "/etc", true))),
                        CustomServiceRules.VOLUME_REFUSED, "[0].volumes[0].source"),
                Arguments.of("the host's root", List.of(web("web", ok, new Volume("/", "/host", true))),
                        CustomServiceRules.VOLUME_REFUSED, "[0].volumes[0].source"),
                Arguments.of("a folder inside the share", List.of(web("web", ok, new Volume(
                        "/home/azureuser/cloudfiles/code/Users/alice", "/data", true))),
                        CustomServiceRules.VOLUME_REFUSED, "[0].volumes[0].source"),
                Arguments.of("a path that climbs out of the home", List.of(web("web", ok, new Volume(
                        "/home/azureuser/../../etc", "/data", true))), CustomServiceRules.VOLUME_REFUSED,
                        "[0].volumes[0].source"),
                Arguments.of("another user's home", List.of(web("web", ok, new Volume("/home/root", "/data",
                        true))), CustomServiceRules.VOLUME_REFUSED, "[0].volumes[0].source"),
                Arguments.of("a relative target", List.of(web("web", ok, new Volume("/home/azureuser", "data",
                        true))), CustomServiceRules.INVALID, "[0].volumes[0].target"),
                Arguments.of("a target that climbs", List.of(web("web", ok, new Volume("/home/azureuser",
                        "/srv/../etc", true))), CustomServiceRules.INVALID, "[0].volumes[0].target"),
                Arguments.of("a target with bind options", List.of(web("web", ok, new Volume("/home/azureuser",
                        "/srv:rw,rshared", true))), CustomServiceRules.INVALID, "[0].volumes[0].target"),
                Arguments.of("the container's root", List.of(web("web", ok, new Volume("/home/azureuser", "/",
                        true))), CustomServiceRules.INVALID, "[0].volumes[0].target"),
                Arguments.of("the runtime's /proc", List.of(web("web", ok, new Volume("/home/azureuser",
                        "/proc/sys", true))), CustomServiceRules.INVALID, "[0].volumes[0].target"),
                Arguments.of("two volumes at one target", List.of(web("web", ok,
                        new Volume("/home/azureuser", "/data", true),
                        new Volume("/home/azureuser/cloudfiles/code", "/data/", true))), CustomServiceRules.INVALID,
                        "[0].volumes[1].target"),
                Arguments.of("eleven services", IntStream.range(0, 11).mapToObj(i -> web("s" + i, ok)).toList(),
                        CustomServiceRules.INVALID, ""),
                Arguments.of("eleven endpoints", List.of(new CustomService("web", "web", IntStream.range(0, 11)
                        .mapToObj(i -> http("e" + i, 80 + i, null)).toList(), null, null)),
                        CustomServiceRules.INVALID, "[0].endpoints"),
                Arguments.of("eleven volumes", List.of(new CustomService("web", "web", List.of(ok), null,
                        Collections.nCopies(11, new Volume("/home/azureuser", "/data", true)))),
                        CustomServiceRules.INVALID, "[0].volumes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithItsCodeAndField(String what, List<CustomService> services, String code, String field) {
        var refused = catchThrowableOfType(ApiException.class, () -> CustomServiceRules.check(services, FIELD));
        assertThat(refused).as(what).isNotNull();
        assertThat(refused.code()).as(refused.getMessage()).isEqualTo(code);
        assertThat(refused.target()).isEqualTo(FIELD + field);
        assertThat(refused).isInstanceOf(ApiException.BadRequest.class);
    }
}
