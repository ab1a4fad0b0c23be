package dev.switchboard.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the configuration file: the first of the JNDI entry {@code java:comp/env/switchboard/config},
 * the context parameter {@code switchboard.config} (what Jetty's context XML sets, or a
 * {@code <context-param>}), the system property {@code switchboard.config}, the environment
 * variable {@code SWITCHBOARD_CONFIG}, and {@code ${catalina.base}/conf/switchboard.json}. Stateless.
 */
public final class ConfigLocator {
    public static final String JNDI_NAME = "java:comp/env/switchboard/config";
    public static final String CONTEXT_PARAMETER = "switchboard.config";
    public static final String SYSTEM_PROPERTY = "switchboard.config";
    public static final String ENV_VARIABLE = "SWITCHBOARD_CONFIG";

    /** Where the file was named, for the log line. */
    public record Located(Path path, String origin) {
    }

    private ConfigLocator() {
    }

    /**
     * Each argument may be null or blank. A location that is named explicitly but does not exist
     * is an error rather than a reason to try the next one: a typo must not start the gateway on
     * some other configuration.
     */
    public static Optional<Located> locate(String jndiValue, String contextParameter, String systemProperty,
                                           String envValue, String catalinaBase) {
        if (present(jndiValue)) {
            return Optional.of(existing(jndiValue, "JNDI " + JNDI_NAME));
        }
        if (present(contextParameter)) {
            return Optional.of(existing(contextParameter, "context parameter " + CONTEXT_PARAMETER));
        }
        if (present(systemProperty)) {
            return Optional.of(existing(systemProperty, "system property " + SYSTEM_PROPERTY));
        }
        if (present(envValue)) {
            return Optional.of(existing(envValue, "environment variable " + ENV_VARIABLE));
        }
        if (present(catalinaBase)) {
            Path conventional = Path.of(catalinaBase, "conf", "switchboard.json");
            if (Files.isRegularFile(conventional)) {
                return Optional.of(new Located(conventional, "${catalina.base}/conf/switchboard.json"));
            }
        }
        return Optional.empty();
    }

    private static Located existing(String value, String origin) {
        Path path = Path.of(value.trim());
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(null, origin + " names " + path + ", which is not a readable file");
        }
        return new Located(path, origin);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
