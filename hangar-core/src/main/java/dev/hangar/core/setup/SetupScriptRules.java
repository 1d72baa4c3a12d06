package dev.hangar.core.setup;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.files.FilePath;
import dev.hangar.core.files.ShareDisk;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * What Hangar takes as a setup script, checked before anything is recorded: a {@code .sh} file that is in the
 * workspace's file share, or inline text in valid base64; arguments that split into words; a timeout within bounds.
 * Each refusal is a 400 with a stable code and the field it is about.
 */
public final class SetupScriptRules {
    public static final String INVALID = "InvalidSetupScript";
    public static final String NOT_FOUND = "SetupScriptNotFound";
    public static final String INVALID_ARGUMENTS = "InvalidScriptArguments";
    public static final String INVALID_TIMEOUT = "InvalidScriptTimeout";
    /** The longest inline script, decoded. */
    public static final int MAX_INLINE_BYTES = 64 * 1024;
    private static final String FIELD = "properties.properties.setupScripts.scripts.";

    private SetupScriptRules() {
    }

    public static void check(SetupScripts scripts, ShareDisk shares, UUID workspaceId) {
        for (var kind : SetupScripts.Kind.values()) {
            var script = scripts.of(kind);
            if (script != null) {
                check(kind, script, shares, workspaceId);
            }
        }
    }

    private static void check(SetupScripts.Kind kind, SetupScript script, ShareDisk shares, UUID workspaceId) {
        var field = FIELD + kind.field() + ".";
        switch (script.source()) {
            case workspaceStorage -> {
                FilePath path;
                try {
                    if (script.data().startsWith("/")) {
                        throw ApiException.badRequest(INVALID, "it is absolute; a script's path is relative to the"
                                + " share's root, e.g. Users/<you>/setup.sh");
                    }
                    path = FilePath.of(script.data());
                } catch (ApiException e) {
                    throw ApiException.badRequest(INVALID, "The " + kind + " script '" + script.data() + "' is not a"
                            + " path in the file share: " + e.getMessage(), field + "scriptData");
                }
                if (path.isRoot() || !path.name().endsWith(".sh")) {
                    throw ApiException.badRequest(INVALID, "The " + kind + " script '" + path + "' is not a .sh"
                            + " file: a script from the file share is a shell script whose name ends in .sh.",
                            field + "scriptData");
                }
                if (shares.regularFile(workspaceId, path).isEmpty()) {
                    throw ApiException.badRequest(NOT_FOUND, "The " + kind + " script '" + path + "' is not in the"
                            + " workspace's file share; upload it first (hangar files upload <file> " + path + ").",
                            field + "scriptData");
                }
            }
            case inline -> text(kind, script, field);
        }
        try {
            ScriptArguments.split(script.arguments());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(INVALID_ARGUMENTS, "The " + kind + " script's arguments do not split into"
                    + " words: " + e.getMessage() + ".", field + "scriptArguments");
        }
        if (script.timeout().compareTo(Duration.ofSeconds(1)) < 0 || script.timeout().compareTo(
                SetupScript.MAX_TIMEOUT) > 0) {
            throw ApiException.badRequest(INVALID_TIMEOUT, "The " + kind + " script's timeout must be from 1 second"
                    + " to " + SetupScript.MAX_TIMEOUT.toHours() + " hours, not " + script.timeout() + ".",
                    field + "timeout");
        }
    }

    /** An inline script's text, decoded: base64 of UTF-8 text, not empty, at most {@value #MAX_INLINE_BYTES} bytes. */
    public static String text(SetupScripts.Kind kind, SetupScript script, String field) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(script.data().strip());
            if (!script.data().strip().matches("[A-Za-z0-9+/=\\s]*")) {
                throw new IllegalArgumentException("characters outside base64");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(INVALID, "The inline " + kind + " script is not valid base64: "
                    + e.getMessage() + ".", field + "scriptData");
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest(INVALID, "The inline " + kind + " script is empty.", field + "scriptData");
        }
        if (bytes.length > MAX_INLINE_BYTES) {
            throw ApiException.badRequest(INVALID, "The inline " + kind + " script is " + bytes.length + " bytes;"
                    + " inline scripts are at most " + MAX_INLINE_BYTES + ": put a longer one in the file share.",
                    field + "scriptData");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(INVALID, "The inline " + kind + " script is not UTF-8 text.",
                    field + "scriptData");
        }
    }
}
