package dev.hangar.cli;

import java.net.URI;

/** The JSON of {@code --no-wait}: what was accepted and where to follow it. */
record Accepted(String action, String name, String status, URI azureAsyncOperation, URI location) {
}
