package dev.switchboard.config;

import java.net.URI;
import java.util.Locale;

/** The wire protocols Switchboard speaks, with each one's default base URL. */
public enum ProviderType {
    /** Every OpenAI-compatible server; {@code baseUrl} ends in {@code /v1} as in OpenAI's SDKs. */
    OPENAI("https://api.openai.com/v1"),
    ANTHROPIC("https://api.anthropic.com"),
    GEMINI("https://generativelanguage.googleapis.com"),
    /** Built in, no network: answers with the last user message. */
    ECHO(null);

    private final URI defaultBaseUrl;

    ProviderType(String defaultBaseUrl) {
        this.defaultBaseUrl = defaultBaseUrl == null ? null : URI.create(defaultBaseUrl);
    }

    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The name used in the config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ProviderType fromConfigName(String name) {
        for (ProviderType type : values()) {
            if (type.configName().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
