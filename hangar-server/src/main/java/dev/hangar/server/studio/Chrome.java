package dev.hangar.server.studio;

/**
 * What every studio page's frame shows: its title, who is signed in, the workspace and which section is open.
 *
 * @param userName  null on pages shown before sign-in
 * @param workspace null on pages outside a workspace
 * @param section   the open section's name in the navigation ("Compute"), or null
 * @param assets    the query that makes the static assets' URLs change with each Hangar version
 */
public record Chrome(String title, String userName, boolean admin, String workspace, String section, String assets) {

    /** The frame of a page shown to someone not signed in. */
    public static Chrome signedOut(String title, String version) {
        return new Chrome(title, null, false, null, null, "v=" + version);
    }

    public boolean signedIn() {
        return userName != null;
    }

    /** The path of a section's page in this workspace, e.g. {@code /w/default/computes}. */
    public String href(String path) {
        return "/w/" + workspace + "/" + path;
    }
}
