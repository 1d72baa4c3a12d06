package dev.hangar.api;

import java.time.Instant;

/**
 * The answer of Hangar's {@code POST {ws}/computes/{name}/keepAlive}: until when the instance counts as in use, null
 * once the lease has ended.
 */
public record KeepAlive(Instant keepAliveUntil) {
}
