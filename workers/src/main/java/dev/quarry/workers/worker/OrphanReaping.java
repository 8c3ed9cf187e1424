package dev.quarry.workers.worker;

import com.github.dockerjava.api.DockerClient;
import dev.quarry.activities.sandbox.ContainerReaper;
import dev.quarry.activities.sandbox.DockerClients;
import dev.quarry.activities.sandbox.SandboxSettings;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox worker's background sweep of abandoned sandbox containers: at start, then every minute.
 * A failure (engine down) is logged and tried again at the next tick.
 */
final class OrphanReaping {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaping.class);

  private OrphanReaping() {}

  static void start(SandboxSettings sandbox) {
    DockerClient client = DockerClients.connect(sandbox);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-sandbox-reaper");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(() -> reapOnce(client), 0, 60, TimeUnit.SECONDS);
  }

  private static void reapOnce(DockerClient client) {
    try {
      ContainerReaper.reapExpired(client, Instant.now());
    } catch (RuntimeException e) {
      LOG.warn("sandbox reaper: {}", e.toString());
    }
  }
}
