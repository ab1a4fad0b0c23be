package dev.switchboard.upstream;

/** The status line and headers of an upstream response, before its body. */
public interface UpstreamResponse {
    int status();

    /** The first value of the header, matched case-insensitively, or null. */
    String header(String name);

    default boolean isSuccess() {
        return status() >= 200 && status() < 300;
    }
}
