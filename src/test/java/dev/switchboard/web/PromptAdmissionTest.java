package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.error.ErrorKind;
import dev.switchboard.error.GatewayError;
import dev.switchboard.limits.Decision;
import dev.switchboard.limits.Limits;
import dev.switchboard.limits.LocalRateLimiter;
import io.github.bucket4j.TimeMeter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptAdmissionTest {
    /** A clock that stands still, so that no tokens come back during a test. */
    private final LocalRateLimiter limiter = new LocalRateLimiter(new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return 0;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    });

    @Test
    void aTokenWithoutTpmIsNotChecked() {
        Decision admitted = limiter.decide("alice", new Limits(60L, null));

        assertThat(PromptAdmission.tokenBudget(admitted)).isNull();
        assertThat(PromptAdmission.check(null, 1_000_000)).isNull();
    }

    @Test
    void aPromptThatFitsInWhatIsLeftIsAdmitted() {
        Decision.BudgetState tokens = PromptAdmission.tokenBudget(limiter.decide("alice", new Limits(null, 1000L)));

        assertThat(tokens.remaining()).isEqualTo(1000);
        assertThat(PromptAdmission.check(tokens, 1000)).isNull();
    }

    @Test
    void aPromptLargerThanWhatIsLeftIsRefusedUntilEnoughHasComeBack() {
        Limits limits = new Limits(null, 1000L);
        limiter.recordTokens("alice", limits, 700);
        Decision admitted = limiter.decide("alice", limits);
        assertThat(admitted.allowed()).as("the headers' check: some tokens are left").isTrue();

        GatewayError refused = PromptAdmission.check(PromptAdmission.tokenBudget(admitted), 500);

        assertThat(refused.kind()).isEqualTo(ErrorKind.TOKENS_PER_MINUTE);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.message()).contains("about 500 tokens").contains("300 of the limit of 1000");
        assertThat(refused.retryAfter()).as("200 tokens at 1000 a minute").isEqualTo("12");
    }

    @Test
    void aPromptLargerThanTheWholeBudgetIsRefusedAsTooLarge() {
        Decision.BudgetState tokens = new Decision.BudgetState(Decision.Budget.TOKENS, 1000, 1000, 0);

        GatewayError refused = PromptAdmission.check(tokens, 1001);

        assertThat(refused.kind()).isEqualTo(ErrorKind.TOKENS_PER_MINUTE);
        assertThat(refused.message()).contains("Request too large").contains("1001").contains("1000");
        assertThat(refused.retryAfter()).as("waiting would not help").isNull();
    }

    @Test
    void theTighterOfTokenAndTeamIsWhatIsLeft() {
        Decision decision = Decision.admitted(List.of(
                new Decision.BudgetState(Decision.Budget.REQUESTS, 10, 9, 100),
                new Decision.BudgetState(Decision.Budget.TOKENS, 1000, 800, 100),
                new Decision.BudgetState(Decision.Budget.TOKENS, 5000, 200, 100)));

        assertThat(PromptAdmission.tokenBudget(decision).remaining()).isEqualTo(200);
    }
}
