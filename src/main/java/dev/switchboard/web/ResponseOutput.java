package dev.switchboard.web;

/**
 * Where one response's head, bytes and end go, in that order: the {@link ClientResponseWriter} in
 * production, a recorder in tests of what is written when.
 */
interface ResponseOutput {
    void offer(ResponseHead head);

    void offer(byte[] bytes);

    /** After everything offered so far is written, the response ends. */
    void offerEnd();
}
