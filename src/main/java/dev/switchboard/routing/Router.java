package dev.switchboard.routing;

import dev.switchboard.config.AliasConfig;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderType;
import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayException;
import dev.switchboard.provider.ProviderConnector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Resolves the {@code model} a client names, a model id or an alias, to its route. Built once per
 * configuration; shared.
 */
public final class Router {
    private final Map<String, Route> routes;
    private final List<Target> targets;

    public Router(GatewayConfig config, Map<ProviderType, ProviderConnector> connectors) {
        Map<String, Target> byModel = new HashMap<>();
        for (ModelConfig model : config.models().values()) {
            var provider = config.providers().get(model.provider());
            byModel.put(model.id(), new Target(model, provider, connectors.get(provider.type())));
        }
        Map<String, Route> byName = new HashMap<>();
        byModel.forEach((id, target) -> byName.put(id, Route.single(id, target)));
        for (AliasConfig alias : config.aliases().values()) {
            List<Target> list = new ArrayList<>();
            int[] weights = new int[alias.targets().size()];
            for (int i = 0; i < weights.length; i++) {
                list.add(byModel.get(alias.targets().get(i).model()));
                weights[i] = alias.targets().get(i).weight();
            }
            byName.put(alias.name(), new Route(alias.name(), alias.strategy(), list, weights));
        }
        this.routes = Map.copyOf(byName);
        this.targets = config.models().keySet().stream().map(byModel::get).toList();
    }

    /**
     * @param allowed whether the caller may use a model or alias name
     * @throws GatewayException 404 {@code model_not_found} when the name is unknown or the caller
     *     may not use it; both get the same answer, so that a token cannot probe which models exist
     */
    public Route resolve(String requested, Predicate<String> allowed) {
        Route route = routes.get(requested);
        if (route == null || !allowed.test(requested)) {
            throw notFound(requested);
        }
        return route;
    }

    /** Every concrete target, in configuration order. */
    public List<Target> targets() {
        return targets;
    }

    public static GatewayException notFound(String requested) {
        return ErrorKind.MODEL_NOT_FOUND.exception("model", "The model '" + requested
                + "' does not exist or you do not have access to it.");
    }
}
