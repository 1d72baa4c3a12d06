package dev.hangar.core.idle;

import java.time.Instant;

/**
 * What one {@link ActivitySource} knows of an instance's use at a look: when it was last used ({@code now} while in
 * use), that it knows of no use, or that it could not tell (its Jupyter did not answer). An instance any source cannot
 * tell of is neither warned of nor stopped at that look: a Jupyter too busy to answer is no proof that nobody uses it.
 */
public sealed interface Activity {
    /** In use at {@code at}: {@code now} while in use, an earlier instant for use that has ended. */
    record LastUsed(Instant at) implements Activity {
    }

    /** The source knows of no use. */
    record NoneKnown() implements Activity {
    }

    /** The source could not tell, for {@code reason}. */
    record Unknown(String reason) implements Activity {
    }

    static Activity at(Instant at) {
        return new LastUsed(at);
    }

    static Activity none() {
        return new NoneKnown();
    }

    static Activity unknown(String reason) {
        return new Unknown(reason);
    }
}
