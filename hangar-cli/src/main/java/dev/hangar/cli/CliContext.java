package dev.hangar.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** What every command shares: the environment, the config file, and the way to connect with them. */
final class CliContext {
    private final CliEnvironment environment;
    private final ConfigStore config;

    CliContext(CliEnvironment environment) {
        this.environment = environment;
        this.config = new ConfigStore(environment.configFile());
    }

    CliEnvironment environment() {
        return environment;
    }

    ConfigStore config() {
        return config;
    }

    /** A connection from the saved login, overridden by {@code HANGAR_SERVER}/{@code TOKEN}/{@code CA_CERT}. */
    Connection connect() {
        return Connection.open(config.load().orElseGet(CliConfig::empty).overriddenBy(environment));
    }

    /** Builds commands with this context when they take it in their constructor. */
    CommandLine.IFactory factory() {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    return type.getDeclaredConstructor(CliContext.class).newInstance(CliContext.this);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
    }

    /**
     * The progress printer of a wait: state lines to {@code lines} ({@code gone} once the compute no longer exists), the
     * status line to {@code terminal} if a TTY.
     */
    Waiter waiter(PrintWriter lines, PrintWriter terminal, String label, String gone) {
        return new Waiter(lines, environment.interactive() ? terminal : null, label, gone);
    }
}
