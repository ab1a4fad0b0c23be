package dev.switchboard.web;

/** One response header. Immutable. */
record HeaderField(String name, String value) {
}
