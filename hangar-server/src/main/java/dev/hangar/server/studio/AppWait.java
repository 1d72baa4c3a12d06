package dev.hangar.server.studio;

/**
 * The page an app's link lands on while its instance does not run: the instance's state as it changes, a Start button
 * for a reader who may start it, and the app itself once it runs.
 *
 * @param app      the app's name as shown ("Jupyter")
 * @param state    the instance's state now
 * @param tone     how the state looks (see {@link InstanceRow#tone()})
 * @param start    where the Start button posts, or null when the reader may not start it now
 * @param open     this page's own URL, which leads to the app once it runs
 * @param live     the URL of its live updates
 */
public record AppWait(String name, String app, String state, String tone, String start, String open, String live) {
}
