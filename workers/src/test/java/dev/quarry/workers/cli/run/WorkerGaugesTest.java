package dev.quarry.workers.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workers.worker.WorkerIdentity;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerGaugesTest {
  @Test
  void aWorkersIdentityAdvertisesItsMetricsEndpointOnlyWhenItServesOne() {
    assertEquals(
        Optional.of(URI.create("http://box-3:9464/metrics")),
        WorkerGauges.advertisedBy(WorkerIdentity.of(42, "box-3", 9464)));
    assertEquals("42@box-3", WorkerIdentity.of(42, "box-3", 0));
    assertEquals(Optional.empty(), WorkerGauges.advertisedBy("42@box-3"));
    assertEquals(Optional.empty(), WorkerGauges.advertisedBy(null));
  }

  @Test
  void theGaugesAreSummedOverEveryEndpointsSeriesAndOtherMetricsAreIgnored() {
    WorkerGauges g =
        WorkerGauges.parse(
            """
            # HELP quarry_llm_requests_inflight LLM requests sent and not answered
            # TYPE quarry_llm_requests_inflight gauge
            quarry_llm_requests_inflight{endpoint="http://a:8000/v1"} 3.0
            quarry_llm_requests_inflight{endpoint="http://b:8000/v1"} 5.0
            quarry_llm_requests_queued{endpoint="http://a:8000/v1"} 7.0
            quarry_llm_requests_inflight_total 99
            quarry_sandbox_slots 8.0
            temporal_request_total{operation="Poll"} 12
            """);
    assertEquals(8.0, g.get(WorkerGauges.LLM_IN_FLIGHT));
    assertEquals(7.0, g.get(WorkerGauges.LLM_QUEUED));
    assertEquals(8.0, g.get(WorkerGauges.SANDBOX_SLOTS));
    assertFalse(g.has(WorkerGauges.SANDBOX_ACTIVE), "not exposed: unknown, not zero");
    assertTrue(g.has(WorkerGauges.SANDBOX_SLOTS));
  }

  @Test
  void aStageLineSaysWhatIsQueuedOnTheServerAndWhatIsInFlightInTheWorkers() {
    String sandbox =
        new StageLoad("sandbox", "quarry-sandbox", 12, 21.4, 2.0, 1.8, 2, 2, 8, 0, 8).render();
    assertEquals(
        "    sandbox    queued 12 (oldest 21 s)  in 2.0/s out 1.8/s  workers 2  in flight 8/8 slots, busy 1.00\n",
        sandbox);
    String llm = new StageLoad("llm", "quarry-llm", 0, 0, 4, 4, 1, 1, 16, 3, -1).render();
    assertTrue(llm.contains("in flight 16, waiting for a permit 3"), llm);
    String blind = new StageLoad("llm", "quarry-llm", 0, 0, 0, 0, 1, 0, -1, -1, -1).render();
    assertFalse(blind.contains("in flight"), "unknown is not shown as zero: " + blind);
    assertTrue(new StageLoad("llm", "quarry-llm", 0, 0, 0, 0, 1, 0, -1, -1, -1).unmetered());
  }
}
