package dev.switchboard.config;

import java.util.Locale;

/** What a configured model does, which decides the endpoints that may name it (docs/configuration.md). */
public enum ModelType {
    /** Generates text: chat completions, Messages and Responses. */
    CHAT,
    /** Embeds text: {@code /v1/embeddings} only. */
    EMBEDDING;

    /** The name used in the config file and in {@code /v1/models}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ModelType fromConfigName(String name) {
        for (ModelType type : values()) {
            if (type.configName().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
