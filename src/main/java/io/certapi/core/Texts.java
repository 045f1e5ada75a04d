package io.certapi.core;

/** Client-supplied text made safe to echo in a problem detail or a log line. */
public final class Texts {

    /** The longest piece of client text repeated back. */
    public static final int MAX_ECHO = 80;

    private Texts() {
    }

    /** {@code s} with control and non-printable characters as '?', cut to {@link #MAX_ECHO}. */
    public static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String clean = s.replaceAll("[^\\p{Print}]", "?");
        return clean.length() > MAX_ECHO ? clean.substring(0, MAX_ECHO) + "..." : clean;
    }
}
