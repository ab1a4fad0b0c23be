package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.TeamConfig;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.Quota;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {
    @Test
    void callerWithoutAllowlistMayUseAnything() {
        Caller caller = new Caller("alice", null);

        assertThat(caller.mayUse("gpt-4o")).isTrue();
        assertThat(caller.mayUse("anything-at-all")).isTrue();
    }

    @Test
    void callerWithAllowlistMayUseExactlyThoseNames() {
        Caller caller = new Caller("ci-bot", Set.of("fast", "llama3"));

        assertThat(caller.mayUse("fast")).isTrue();
        assertThat(caller.mayUse("llama3")).isTrue();
        assertThat(caller.mayUse("gpt-4o")).isFalse();
        assertThat(caller.mayUse("FAST")).isFalse();
        assertThat(caller.mayUse("fast ")).isFalse();
    }

    @Test
    void emptyAllowlistAllowsNothing() {
        assertThat(new Caller("nobody", Set.of()).mayUse("fast")).isFalse();
    }

    @Test
    void aTeamsListNarrowsTheTokensOwn() {
        dev.switchboard.config.TeamConfig research = new dev.switchboard.config.TeamConfig("research",
                Set.of("smart", "fast"), null, null);

        Caller anyModel = new Caller("a", null, dev.switchboard.limits.Limits.NONE, false, research);
        Caller ownList = new Caller("b", Set.of("fast", "gpt-4o"), dev.switchboard.limits.Limits.NONE, false, research);

        assertThat(anyModel.mayUse("smart")).isTrue();
        assertThat(anyModel.mayUse("gpt-4o")).as("outside the team's list").isFalse();
        assertThat(ownList.mayUse("fast")).as("in both").isTrue();
        assertThat(ownList.mayUse("smart")).as("the team's, not the token's").isFalse();
        assertThat(ownList.mayUse("gpt-4o")).as("the token's, not the team's").isFalse();
    }

    @Test
    void aRequestCountsAgainstItsTokensLimitsAndThoseOfItsTeamWhenTheTeamHasAny() {
        Limits own = new Limits(10L, null);
        assertThat(new Caller("a", null, own, false).quotas()).containsExactly(Quota.token("a", own));
        assertThat(new Caller("a", null, own, false, new TeamConfig("research", null, null, null)).quotas())
                .containsExactly(Quota.token("a", own));
        assertThat(new Caller("a", null, own, false, new TeamConfig("research", null, 600L, null)).quotas())
                .containsExactly(Quota.token("a", own), Quota.team("research", new Limits(600L, null)));
        assertThat(new Caller("a", null, Limits.NONE, false, new TeamConfig("research", null, null, 9000L)).quotas())
                .containsExactly(Quota.token("a", Limits.NONE), Quota.team("research", new Limits(null, 9000L)));
    }
}
