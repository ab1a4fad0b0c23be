package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

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
}
