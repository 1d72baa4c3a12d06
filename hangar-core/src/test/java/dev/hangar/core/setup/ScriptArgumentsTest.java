package dev.hangar.core.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptArgumentsTest {

    @Test
    void wordsSplitAsAShellSplitsThemWithNothingExpanded() {
        assertThat(ScriptArguments.split(null)).isEmpty();
        assertThat(ScriptArguments.split("  \t ")).isEmpty();
        assertThat(ScriptArguments.split("-v 1.2  --name\tx")).containsExactly("-v", "1.2", "--name", "x");
        assertThat(ScriptArguments.split("'one two' \"three four\" five\\ six"))
                .containsExactly("one two", "three four", "five six");
        assertThat(ScriptArguments.split("'it'\\''s' \"say \\\"hi\\\" \\\\ \\$HOME\" a'b'\"c\""))
                .containsExactly("it's", "say \"hi\" \\ $HOME", "abc");
        assertThat(ScriptArguments.split("$(rm -rf /) `id` $HOME *")).containsExactly("$(rm", "-rf", "/)", "`id`",
                "$HOME", "*");
        assertThat(ScriptArguments.split("'' \"\"")).containsExactly("", "");
        assertThat(ScriptArguments.split("\"keep \\n as is\"")).containsExactly("keep \\n as is");
    }

    @Test
    void anUnclosedQuoteOrALoneBackslashIsRefused() {
        assertThatThrownBy(() -> ScriptArguments.split("a 'b")).hasMessageContaining("single quote at character 3");
        assertThatThrownBy(() -> ScriptArguments.split("\"b")).hasMessageContaining("double quote at character 1");
        assertThatThrownBy(() -> ScriptArguments.split("b\\")).hasMessageContaining("lone backslash");
    }

    @Test
    void quotedWordsSplitBackIntoThemselves() {
        var words = List.of("plain", "one two", "it's", "$(touch x)", "\"", "\\", "");
        var line = String.join(" ", words.stream().map(ScriptArguments::quote).toList());
        assertThat(ScriptArguments.split(line)).isEqualTo(words);
    }

    @Test
    void aScriptFromTheShareRunsInItsFolderAndAnInlineOneInTheHomeEachArgumentOneQuotedWord() {
        var shared = new SetupScript(SetupScript.Source.workspaceStorage, "Users/alice/my tools/set up.sh",
                "'a b' c", Duration.ofMinutes(5));
        assertThat(SetupRunner.line(SetupScripts.Kind.creation, shared)).isEqualTo(
                "cd -- 'cloudfiles/code/Users/alice/my tools' && exec bash -- './set up.sh' 'a b' 'c'");
        var inline = new SetupScript(SetupScript.Source.inline,
                Base64.getEncoder().encodeToString("echo 'hi'\n".getBytes()), "$(x)", null);
        assertThat(SetupRunner.line(SetupScripts.Kind.startup, inline))
                .isEqualTo("exec bash -c 'echo '\\''hi'\\''\n' startup-script '$(x)'");
        assertThat(inline.timeout()).isEqualTo(SetupScript.DEFAULT_TIMEOUT);
    }
}
