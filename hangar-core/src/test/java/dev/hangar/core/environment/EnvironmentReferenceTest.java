package dev.hangar.core.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.environment.EnvironmentService.Reference;
import org.junit.jupiter.api.Test;

class EnvironmentReferenceTest {

    @Test
    void aJobNamesAVersionAsAzuresClientsDo() {
        assertThat(Reference.parse("azureml:py:3")).contains(new Reference("py", "3"));
        assertThat(Reference.parse("azureml:py@latest")).contains(new Reference("py", null));
        assertThat(Reference.parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices"
                + "/workspaces/ws/environments/py/versions/3")).contains(new Reference("py", "3"));
        assertThat(Reference.parse(" azureml:CliV2AnonymousEnvironment:0a1b ")).contains(
                new Reference("CliV2AnonymousEnvironment", "0a1b"));
    }

    @Test
    void aNameAloneIsItsLatestVersion() {
        assertThat(Reference.parse("hangar-instance")).contains(new Reference("hangar-instance", null));
        assertThat(Reference.parse("azureml:py")).contains(new Reference("py", null));
        assertThat(Reference.parse("py@latest")).contains(new Reference("py", null));
    }

    @Test
    void whatNamesNoVersionIsNone() {
        assertThat(Reference.parse(null)).isEmpty();
        assertThat(Reference.parse("")).isEmpty();
        assertThat(Reference.parse("python:3.11")).as("an image, not an environment").isEmpty();
        assertThat(Reference.parse("azureml:")).isEmpty();
        assertThat(Reference.parse("azureml:@latest")).isEmpty();
        assertThat(Reference.parse("azureml:py@prod")).isEmpty();
        assertThat(Reference.parse("azureml:bad name:1")).isEmpty();
        assertThat(Reference.parse(".../environments/py")).isEmpty();
        assertThat(Reference.parse(".../environments/py/versions/")).isEmpty();
    }
}
