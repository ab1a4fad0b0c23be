package dev.switchboard.state;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script of this package, sent by its SHA-1 ({@code EVALSHA}), and in full only when Redis
 * does not know it yet (after a restart, or on a new Redis). Immutable.
 */
final class Script {
    private final String source;
    private final String sha;

    private Script(String source) {
        this.source = source;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }

    static Script load(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new Script(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read script " + name, e);
        }
    }

    /** Runs the script on a Lettuce thread ({@link RedisStore#execute}). */
    <T> CompletionStage<T> run(RedisStore store, ScriptOutputType type, String[] keys, byte[][] args) {
        try {
            return store.commands().<T>evalsha(sha, type, keys, args).exceptionallyCompose(error -> isNoScript(error)
                    ? store.commands().<T>eval(source, type, keys, args) : CompletableFuture.failedFuture(error));
        } catch (RuntimeException e) {
            // Not connected yet, or the connection refuses commands: a failure like any other.
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isNoScript(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof RedisNoScriptException
                || cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT");
    }
}
