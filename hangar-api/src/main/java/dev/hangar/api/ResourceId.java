package dev.hangar.api;

/** An ARM {@code ResourceId}: {@code {"id": "..."}}. */
public record ResourceId(String id) {
}
