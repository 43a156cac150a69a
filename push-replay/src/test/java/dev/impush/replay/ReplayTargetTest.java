package dev.impush.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTargetTest {
    private final ReplayTarget target = new ReplayTarget(List.of("push.jobs", "push.jobs.bulk"),
            List.of("push.retry.10s", "push.retry.1m", "push.retry.bulk.10s"));

    @Test
    void jobsTopicsAndRetryTiersOfBothLanes_areAllowed() {
        assertEquals(new ReplayTarget.Allowed("push.jobs"), target.check("push.jobs", false));
        assertEquals(new ReplayTarget.Allowed("push.jobs.bulk"), target.check("push.jobs.bulk", false));
        assertEquals(new ReplayTarget.Allowed("push.retry.bulk.10s"), target.check("push.retry.bulk.10s", false));
        assertEquals(new ReplayTarget.Allowed("push.retry.1m"), target.check("push.retry.1m", false));
        assertEquals(new ReplayTarget.Allowed("push.jobs"), target.check("push.jobs", true));
    }

    @Test
    void anyOtherTopic_isRefusedWithWhatToDo_unlessForced() {
        var refused = assertInstanceOf(ReplayTarget.Refused.class, target.check("push.job", false));
        assertTrue(refused.message().contains("'push.job'") && refused.message().contains("push.jobs")
                && refused.message().contains("push.retry.10s, push.retry.1m, push.retry.bulk.10s") && refused.message().contains("--force"),
                refused.message());
        assertInstanceOf(ReplayTarget.Refused.class, target.check("push.retry.2h", false), "not a configured tier");
        assertEquals(new ReplayTarget.Forced("im.events"), target.check("im.events", true));
    }
}
