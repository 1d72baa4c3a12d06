package dev.hangar.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "files", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The workspace's file share: Users/<you>/ for your files (mounted in your instances),"
                + " Logs/<instance>/ for what Hangar writes of an instance. Members read it all; you write under your"
                + " own folder, administrators anywhere.",
        subcommands = {FilesCommand.List.class, FilesCommand.Upload.class, FilesCommand.Download.class,
            FilesCommand.Delete.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar files upload setup.sh                  # to Users/<you>/setup.sh",
            "  hangar files upload train.py Users/alice/project/train.py",
            "  hangar files list Users/alice/project",
            "  hangar files download Logs/box/setup.log",
            "  hangar files delete Users/alice/project --recursive --yes"})
final class FilesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a files command is required");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists a folder of the share (its root by default), or shows a file.")
    static final class List extends HangarCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = "a folder or file of the share")
        String path = "";

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        List(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var entries = connection.client().files(connection.workspace(workspace)).list(path);
                if (output.json()) {
                    printJson(entries);
                    return ExitCodes.OK;
                }
                var table = new Table("NAME", "TYPE", "SIZE", "MODIFIED");
                entries.forEach(entry -> table.row(entry.name() + (entry.isFolder() ? "/" : ""), entry.type(),
                        entry.isFolder() ? "" : entry.size(), entry.modifiedOn()));
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "upload", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Writes a local file into the share, making its folders and replacing a"
            + " file there.")
    static final class Upload extends HangarCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "the local file")
        Path file;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "where in the share (default:"
                + " Users/<you>/<the file's name>)")
        String path;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Upload(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new CliException("NotAFile", file + " is not a file.", ExitCodes.USAGE);
            }
            try (var connection = context.connect()) {
                var target = path != null ? path
                        : "Users/" + connection.session().user().name() + "/" + file.getFileName();
                var written = connection.client().files(connection.workspace(workspace)).upload(file, target);
                if (output.json()) {
                    printJson(written);
                } else {
                    out().println("Uploaded " + file + " to " + written.path() + " (" + written.size() + " bytes).");
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Copies a file of the share to a local file.")
    static final class Download extends HangarCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "the file in the share")
        String path;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "the local file, or a folder to"
                + " put it in (default: the file's name, here)")
        Path file;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        VerboseOptions verbose;

        Download(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            var name = Path.of(path.replaceAll("/+$", "")).getFileName().toString();
            var target = file == null ? Path.of(name) : Files.isDirectory(file) ? file.resolve(name) : file;
            try (var connection = context.connect()) {
                connection.client().files(connection.workspace(workspace)).download(path, target);
                out().println("Downloaded " + path + " to " + target + ".");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Deletes a file or a folder of the share.")
    static final class Delete extends HangarCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "the file or folder in the share")
        String path;

        @Option(names = {"-r", "--recursive"}, description = "delete a folder with everything in it")
        boolean recursive;

        @Mixin
        ConfirmOptions confirm;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        VerboseOptions verbose;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (!confirm.confirmed(context.environment(), "delete " + path + (recursive ? " and all in it" : ""))) {
                out().println("Nothing deleted.");
                return ExitCodes.OK;
            }
            try (var connection = context.connect()) {
                connection.client().files(connection.workspace(workspace)).delete(path, recursive);
                out().println("Deleted " + path + ".");
                return ExitCodes.OK;
            }
        }
    }
}
