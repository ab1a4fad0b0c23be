package dev.switchboard.web;

import dev.switchboard.auth.Caller;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.json.Json;
import dev.switchboard.routing.Router;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} (docs/protocols/openai-chat.md §8): the concrete models,
 * owned by their provider, then the aliases, owned by {@code switchboard}, as far as the caller's
 * token may use them. Shared and stateless.
 */
public final class ModelsServlet extends HttpServlet {
    static final String ALIAS_OWNER = "switchboard";

    /**
     * One entry in OpenAI's {@code Model} shape, with the model's {@code type} ({@code chat} or
     * {@code embedding}), which decides the endpoints that take it.
     */
    @JsonbPropertyOrder({"id", "object", "created", "ownedBy", "type"})
    public record ModelEntry(String id, String object, long created, @JsonbProperty("owned_by") String ownedBy,
                             String type) {
    }

    /** OpenAI's {@code ListModelsResponse}. */
    @JsonbPropertyOrder({"object", "data"})
    public record ModelList(String object, List<ModelEntry> data) {
    }

    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        if (ErrorResponses.refusedMethod(clientRequest, clientResponse, "GET")) {
            return;
        }
        Snapshot snapshot = (Snapshot) clientRequest.getAttribute(BearerAuthFilter.SNAPSHOT_ATTRIBUTE);
        Caller caller = (Caller) clientRequest.getAttribute(BearerAuthFilter.CALLER_ATTRIBUTE);
        List<ModelEntry> visible = visibleModels(snapshot.config(), caller, snapshot.loadedEpochSeconds());
        String path = clientRequest.getPathInfo();
        Object body;
        if (path == null || path.equals("/")) {
            body = new ModelList("list", visible);
        } else {
            String id = path.substring(1);
            body = visible.stream().filter(entry -> entry.id().equals(id)).findFirst()
                    .orElse(null);
            if (body == null) {
                ErrorResponses.send(clientRequest, clientResponse, Router.notFound(id).error());
                return;
            }
        }
        byte[] json = Json.JSONB.toJson(body).getBytes(StandardCharsets.UTF_8);
        clientResponse.setContentType(ErrorResponses.JSON);
        clientResponse.setContentLength(json.length);
        clientResponse.getOutputStream().write(json);
    }

    static List<ModelEntry> visibleModels(GatewayConfig config, Caller caller, long created) {
        List<ModelEntry> entries = new ArrayList<>();
        for (ModelConfig model : config.models().values()) {
            if (caller.mayUse(model.id())) {
                entries.add(new ModelEntry(model.id(), "model", created, model.provider(), model.type().configName()));
            }
        }
        for (var alias : config.aliases().values()) {
            if (caller.mayUse(alias.name())) {
                // An alias's models are of one type (the configuration checks it).
                String type = config.models().get(alias.targets().get(0).model()).type().configName();
                entries.add(new ModelEntry(alias.name(), "model", created, ALIAS_OWNER, type));
            }
        }
        return entries;
    }
}
