package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.spi.InstanceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container an instance is, as the engine is asked to make it: the one recipe of the container backend, public so
 * that {@code bin/bench} times the very same container made straight through the engine.
 *
 * @param name the container's name; {@code hostName} what the instance calls itself
 * @param homeVolume the named volume mounted at {@value #HOME}; {@code envsVolume} the one at {@value #ENVS}
 * @param fileShare the workspace's file share on the engine's host, bound at {@value #FILE_SHARE}; null for none
 * @param environment {@code KEY=value} entries: Jupyter's token and base path, the instance's name and workspace
 */
public record InstanceContainer(String image, String name, String hostName, Map<String, String> labels, VmSize size,
                                long openFiles, long processes, String homeVolume, String envsVolume,
                                String fileShare, List<String> environment) {
    public static final String USER = "azureuser";
    public static final String HOME = "/home/" + USER;
    /** The instance user's uid and gid, as the image makes them; a job's own image runs as these numbers. */
    public static final int UID = 1000;
    public static final String ENVS = "/opt/hangar/envs";
    public static final String FILE_SHARE = HOME + "/" + InstanceContext.FILE_SHARE_MOUNT;
    public static final int JUPYTER_PORT = 8888;

    public InstanceContainer {
        labels = Map.copyOf(labels);
        environment = List.copyOf(environment);
    }

    /** The environment Hangar gives every instance container. */
    public static List<String> environment(String jupyterToken, String jupyterBasePath, String computeName,
                                           String workspaceName) {
        return List.of("JUPYTER_TOKEN=" + jupyterToken, "HANGAR_BASE_URL=" + jupyterBasePath,
                "CI_NAME=" + computeName, "CI_WORKSPACE=" + workspaceName);
    }

    private List<Bind> binds() {
        var binds = new ArrayList<Bind>(List.of(new Bind(homeVolume, new Volume(HOME)), new Bind(envsVolume,
                new Volume(ENVS))));
        if (fileShare != null) {
            // Inside the home's volume: the engine makes ~/cloudfiles, which the image's entrypoint gives to the user.
            binds.add(new Bind(fileShare, new Volume(FILE_SHARE)));
        }
        return binds;
    }

    /** The create call, ready to {@code exec()}. */
    public CreateContainerCmd createCommand(DockerClient docker) {
        var jupyter = ExposedPort.tcp(JUPYTER_PORT);
        var memory = (long) (size.memoryGb() * 1024 * 1024 * 1024);
        var host = HostConfig.newHostConfig()
                // An init reaps orphans and passes stop's SIGTERM on, so stop takes milliseconds, not the grace.
                .withInit(true)
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(size.vCpus() * 1_000_000_000L)
                .withPidsLimit(processes)
                .withUlimits(List.of(new Ulimit("nofile", openFiles, openFiles),
                        new Ulimit("nproc", processes, processes)))
                // Published on the host's loopback only: Hangar's gateway is the one way in.
                .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), jupyter))
                .withBinds(binds());
        if (size.gpus() > 0) {
            host.withDeviceRequests(List.of(new DeviceRequest().withCount(size.gpus())
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        return docker.createContainerCmd(image)
                .withName(name)
                .withHostName(hostName)
                .withLabels(labels)
                .withEnv(environment)
                .withExposedPorts(jupyter)
                .withHostConfig(host);
    }
}
