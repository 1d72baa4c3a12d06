package dev.hangar.core.environment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CuratedEnvironmentsTest {
    final CuratedEnvironments curated = new CuratedEnvironments("localhost/hangar-instance:latest");

    @Test
    void hangarInstanceIsCuratedInAnyCase() {
        assertThat(curated.isCurated("hangar-instance")).isTrue();
        assertThat(curated.isCurated("Hangar-Instance")).isTrue();
        assertThat(curated.isCurated("hangar-instance-2")).isFalse();
        assertThat(curated.isCurated(null)).isFalse();
    }

    @Test
    void theInstanceImageIsAnyTagOrDigestOfItsRepository() {
        assertThat(curated.isInstanceImage("localhost/hangar-instance:latest")).isTrue();
        assertThat(curated.isInstanceImage("localhost/hangar-instance:7fdeadb5d4cb")).isTrue();
        assertThat(curated.isInstanceImage("localhost/hangar-instance@sha256:0123")).isTrue();
        assertThat(curated.isInstanceImage("localhost/hangar-instance")).isTrue();
        assertThat(curated.isInstanceImage("localhost/hangar-instance-fork:latest")).isFalse();
        assertThat(curated.isInstanceImage("docker.io/library/python:3.12")).isFalse();
        assertThat(new CuratedEnvironments("registry.local:5000/hangar-instance:1")
                .isInstanceImage("registry.local:5000/hangar-instance:2")).isTrue();
    }

    @Test
    void azuresCuratedEnvironmentsAreKnownInEveryForm() {
        assertThat(CuratedEnvironments.isAzureCurated("azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest"))
                .isTrue();
        assertThat(CuratedEnvironments.isAzureCurated("AzureML-Minimal")).isTrue();
        assertThat(CuratedEnvironments.isAzureCurated("azureml:azureml-minimal:1")).isTrue();
        assertThat(CuratedEnvironments.isAzureCurated("azureml://registries/azureml/environments/sklearn-1.5/labels/"
                + "latest")).isTrue();
        assertThat(CuratedEnvironments.isAzureCurated("/subscriptions/s/resourceGroups/rg/providers/"
                + "Microsoft.MachineLearningServices/workspaces/ws/environments/AzureML-Minimal/versions/1")).isTrue();
        assertThat(CuratedEnvironments.isAzureCurated("azureml:hangar-instance@latest")).isFalse();
        assertThat(CuratedEnvironments.isAzureCurated("azureml:my-azureml-env:1")).isFalse();
    }
}
