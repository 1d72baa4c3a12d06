package dev.hangar.api;

/** The JSON a workspace's {@code discoveryUrl} serves; azureml-core uses {@code api} for its data-plane calls. */
public record DiscoveryDocument(String api, String catalog, String experimentation, String gallery, String history,
                                String hyperdrive, String labeling, String modelmanagement, String pipelines,
                                String studio) {

    /** Every service at one base URL, as a single Hangar server serves them all. */
    public static DiscoveryDocument at(String baseUrl) {
        return new DiscoveryDocument(baseUrl, baseUrl, baseUrl, baseUrl, baseUrl, baseUrl, baseUrl, baseUrl, baseUrl,
                baseUrl);
    }
}
