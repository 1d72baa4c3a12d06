package dev.hangar.core.setup;

/**
 * An instance's setup scripts ({@code setupScripts.scripts}): the creation script, run once when the instance is
 * created, and the startup script, run on every start, the first one included. Either may be null.
 */
public record SetupScripts(SetupScript creation, SetupScript startup) {
    public static final SetupScripts NONE = new SetupScripts(null, null);

    public boolean isEmpty() {
        return creation == null && startup == null;
    }

    /** Which of an instance's two scripts; named as the wire names them, and as their logs are. */
    public enum Kind {
        creation("creationScript"), startup("startupScript");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The script's field under {@code setupScripts.scripts}. */
        public String field() {
            return field;
        }

        /** The script's log in {@code Logs/<instance>/}. */
        public String logName() {
            return name() + ".log";
        }
    }

    public SetupScript of(Kind kind) {
        return kind == Kind.creation ? creation : startup;
    }
}
