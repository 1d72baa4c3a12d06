package dev.hangar.server.studio;

/** A link a page shows: its text and where it goes. */
public record Link(String label, String href) {
}
