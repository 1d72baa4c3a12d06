package dev.hangar.archive;

/** Why an archive or a folder cannot travel as a snapshot; {@link #code()} is stable, the message says what to do. */
public final class TarballException extends RuntimeException {
    /** More bytes or files than the limits allow. */
    public static final String TOO_LARGE = "TooLarge";
    /** Not a tar or tar.gz, cut short, or a path given twice. */
    public static final String INVALID_ARCHIVE = "InvalidArchive";
    /** A path that is absolute, holds {@code ..} or {@code .}, or would be written through a link. */
    public static final String UNSAFE_PATH = "UnsafePath";
    /** A link, device or FIFO where only files are taken. */
    public static final String NOT_A_FILE = "NotAFile";
    /** The folder to pack does not exist or is a file. */
    public static final String NOT_A_FOLDER = "NotAFolder";
    /** A file of the folder cannot be read. */
    public static final String UNREADABLE = "Unreadable";
    /** A file changed between its listing and its packing. */
    public static final String CHANGED = "Changed";

    private final String code;

    public TarballException(String code, String message) {
        super(message);
        this.code = code;
    }

    public TarballException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
