package dev.hangar.cli;

/** Where bytes of UTF-8 text can be cut without splitting a character: output arrives in pieces of any length. */
final class Utf8 {
    private Utf8() {
    }

    /** The length of the longest start of {@code bytes} that ends on a whole character. */
    static int completeLength(byte[] bytes) {
        // A character is at most 4 bytes: look back at most 3 for the lead byte of the last one.
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            var b = bytes[bytes.length - back] & 0xff;
            if ((b & 0xc0) == 0x80) {
                continue; // a continuation byte
            }
            var size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            return size > back ? bytes.length - back : bytes.length;
        }
        return bytes.length;
    }
}
