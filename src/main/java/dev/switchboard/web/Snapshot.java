package dev.switchboard.web;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.identity.JwtAuthenticator;
import dev.switchboard.routing.Router;
import dev.switchboard.spend.PriceBook;

/**
 * Everything derived from one configuration: a request takes the current snapshot once and uses
 * it throughout, so a reload never changes the rules under a request in flight. Immutable.
 *
 * @param loadedEpochSeconds when the configuration was loaded; the {@code created} of its models
 * @param jwt the authenticator of JWT bearer tokens, or null when the configuration trusts no issuer
 * @param prices every configured model's rates
 */
public record Snapshot(GatewayConfig config, Router router, TokenVerifier tokens, long loadedEpochSeconds,
                       JwtAuthenticator jwt, PriceBook prices) {
}
