package dev.hangar.bench;

/**
 * One line of the report's table.
 *
 * @param target  what the issue asks for, or empty when the figure is context
 * @param verdict whether the value met the target
 */
record Row(String metric, String value, String target, Verdict verdict) {

    enum Verdict {
        PASS("pass"), FAIL("**FAIL**"), NONE("");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        static Verdict of(boolean met) {
            return met ? PASS : FAIL;
        }

        String text() {
            return text;
        }
    }

    static Row info(String metric, String value) {
        return new Row(metric, value, "", Verdict.NONE);
    }
}
