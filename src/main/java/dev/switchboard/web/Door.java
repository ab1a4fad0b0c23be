package dev.switchboard.web;

import dev.switchboard.chat.ChatFormat;
import dev.switchboard.chat.ChatRequestParser;
import dev.switchboard.config.ModelType;
import dev.switchboard.ingress.embeddings.EmbeddingsRequest;
import dev.switchboard.ingress.messages.MessagesFormat;
import dev.switchboard.ingress.messages.MessagesRequest;
import dev.switchboard.ingress.responses.ResponsesFormat;
import dev.switchboard.llm.ClientFormat;
import dev.switchboard.llm.ClientRequest;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.routing.Route;

/**
 * One front door as the web layer serves it (docs/architecture.md, "The internal model and the
 * front doors"): its path, how its body is parsed, the kind of model it may name, the format of
 * answers given before its body is parsed, and the {@code endpoint} label of its metrics. The
 * exchange, the servlet and the filters are the same for every door. Shared and stateless.
 */
enum Door {
    CHAT("/v1/chat/completions", "chat_completions", ModelType.CHAT, ChatFormat.of(false)) {
        @Override
        ClientRequest parse(byte[] body, int length, String beta) {
            return ChatRequestParser.parse(body, length);
        }
    },
    MESSAGES("/v1/messages", "messages", ModelType.CHAT, MessagesFormat.INSTANCE) {
        @Override
        ClientRequest parse(byte[] body, int length, String beta) {
            return MessagesRequest.parse(body, length, false, beta);
        }
    },
    COUNT_TOKENS("/v1/messages/count_tokens", "count_tokens", ModelType.CHAT, MessagesFormat.INSTANCE) {
        @Override
        ClientRequest parse(byte[] body, int length, String beta) {
            return MessagesRequest.parse(body, length, true, beta);
        }
    },
    RESPONSES("/v1/responses", "responses", ModelType.CHAT, ResponsesFormat.INSTANCE) {
        @Override
        ClientRequest parse(byte[] body, int length, String beta) {
            return dev.switchboard.ingress.responses.ResponsesRequest.parse(body, length);
        }
    },
    EMBEDDINGS("/v1/embeddings", "embeddings", ModelType.EMBEDDING, ChatFormat.of(false)) {
        @Override
        ClientRequest parse(byte[] body, int length, String beta) {
            return EmbeddingsRequest.parse(body, length);
        }
    };

    private final String path;
    private final String endpoint;
    private final ModelType modelType;
    private final ClientFormat format;

    Door(String path, String endpoint, ModelType modelType, ClientFormat format) {
        this.path = path;
        this.endpoint = endpoint;
        this.modelType = modelType;
        this.format = format;
    }

    /**
     * Parses and validates the door's body.
     *
     * @param beta the client's {@code anthropic-beta} header, which Messages passes on, or null
     */
    abstract ClientRequest parse(byte[] body, int length, String beta);

    String path() {
        return path;
    }

    /**
     * Whether {@link #parse} reads the client's {@code anthropic-beta} header: only the Messages
     * doors pass it on, and the other doors spare a search of the request's headers.
     */
    boolean readsBeta() {
        return this == MESSAGES || this == COUNT_TOKENS;
    }

    /** The value of the {@code endpoint} label. */
    String endpoint() {
        return endpoint;
    }

    /** The kind of model this door's requests may name. */
    ModelType modelType() {
        return modelType;
    }

    /** The format of answers before the body is parsed (limits, size, shutdown). */
    ClientFormat format() {
        return format;
    }

    /**
     * A door serves one kind of model: an embedding model cannot chat, nor a chat model embed.
     * Refused with a 400 naming the model, before any provider is called.
     */
    void checkModelType(String model, Route route) {
        ModelType type = route.targets().get(0).model().type();
        if (type != modelType) {
            throw ErrorKind.INVALID_REQUEST.exception("model", type == ModelType.EMBEDDING
                    ? "The model '" + model + "' is an embedding model; send it to /v1/embeddings."
                    : "The model '" + model + "' is a chat model and cannot embed; use an embedding model here.");
        }
    }

    /** The door at {@code path} (the request's path within the context), or null. */
    static Door at(String path) {
        for (Door door : values()) {
            if (door.path.equals(path)) {
                return door;
            }
        }
        return null;
    }

    /**
     * The error format of any request at {@code path}: Anthropic's on the Messages paths, whose
     * clients read only that shape, OpenAI's elsewhere.
     */
    static ClientFormat errorFormat(String path) {
        return path != null && path.startsWith(MESSAGES.path) ? MessagesFormat.INSTANCE : CHAT.format;
    }
}
