package dev.hangar.cli;

import dev.hangar.api.VirtualMachineSize;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "vm-size", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Add, change and delete the VM sizes the server offers (administrators);"
                + " 'hangar compute list-sizes' lists them.",
        subcommands = {VmSizeCommand.Set.class, VmSizeCommand.Delete.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar vm-size set Standard_Team_v1 --family teamFamily --vcpus 8 --memory-gb 32",
            "  hangar vm-size set Standard_A100_v1 --family gpuA100Family --vcpus 16 --memory-gb 128 --gpus 1 \\",
            "      --price 3.40 --compute-type AmlCompute",
            "  hangar vm-size delete Standard_Team_v1"})
final class VmSizeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a vm-size command is required");
    }

    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Adds a size or replaces the one of that name. A size computes use keeps its family and"
                    + " vCPUs.")
    static final class Set extends HangarCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. Standard_Team_v1")
        String name;

        @Option(names = "--family", required = true, paramLabel = "FAMILY",
                description = "the VM family quotas count its cores by, e.g. standardDSv2Family")
        String family;

        @Option(names = "--vcpus", required = true, paramLabel = "N")
        int vcpus;

        @Option(names = "--memory-gb", required = true, paramLabel = "GB")
        double memoryGb;

        @Option(names = "--gpus", paramLabel = "N", defaultValue = "0")
        int gpus;

        @Option(names = "--price", paramLabel = "USD", defaultValue = "0",
                description = "per hour of a dedicated node (default: ${DEFAULT-VALUE})")
        double price;

        @Option(names = "--low-priority-price", paramLabel = "USD", defaultValue = "0",
                description = "per hour of a low-priority node (default: ${DEFAULT-VALUE})")
        double lowPriorityPrice;

        @Option(names = "--no-low-priority", description = "clusters may not use it for low-priority nodes")
        boolean noLowPriority;

        @Option(names = "--compute-type", paramLabel = "TYPE",
                description = "ComputeInstance or AmlCompute; repeat for both (default: both)")
        java.util.List<String> computeTypes;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Set(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            var prices = new VirtualMachineSize.EstimatedVmPrices("USD", "OneHour", java.util.List.of(
                    new VirtualMachineSize.EstimatedVmPrice(price, "Linux", "Standard"),
                    new VirtualMachineSize.EstimatedVmPrice(lowPriorityPrice, "Linux", "LowPriority")));
            var types = computeTypes == null ? java.util.List.of("AmlCompute", "ComputeInstance")
                    : new ArrayList<>(computeTypes);
            var size = new VirtualMachineSize(name, family, vcpus, gpus, 0, 0, memoryGb, !noLowPriority, true,
                    prices, types);
            try (var connection = context.connect()) {
                var set = connection.client().putVmSize(size);
                if (output.json()) {
                    printJson(set);
                    return ExitCodes.OK;
                }
                out().println("VM size " + set.name() + ": " + set.vCPUs() + " vCPUs, " + set.memoryGB() + " GB, "
                        + set.gpus() + " GPUs, family " + set.family() + ".");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Deletes a size no compute uses.")
    static final class Delete extends HangarCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        ConfirmOptions confirm;

        @Mixin
        VerboseOptions verbose;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (!confirm.confirmed(context.environment(), "delete VM size " + name)) {
                out().println("Nothing deleted.");
                return ExitCodes.OK;
            }
            try (var connection = context.connect()) {
                out().println(connection.client().deleteVmSize(name) ? "VM size " + name + " deleted."
                        : "There is no VM size " + name + ".");
                return ExitCodes.OK;
            }
        }
    }
}
