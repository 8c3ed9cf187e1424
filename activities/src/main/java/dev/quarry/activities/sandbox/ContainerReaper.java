package dev.quarry.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes sandbox containers a previous worker left behind (a crash or a kill between create
 * and remove). Every sandbox container carries the label {@value #LABEL}=true.
 */
public final class ContainerReaper {
  public static final String LABEL = "quarry.sandbox";
  private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);

  private ContainerReaper() {}

  /**
   * Removes every sandbox container, running or not. Call it at worker start, before the
   * worker runs batches. Careful with several workers on one engine: this also removes the
   * live containers of the others (their batches fail and are retried); use {@link
   * #reapOrphans(DockerClient, Duration)} with an age there.
   *
   * @return how many containers were removed
   */
  public static int reapOrphans(DockerClient client) {
    return reapOrphans(client, Duration.ZERO);
  }

  /** Removes sandbox containers created more than {@code olderThan} ago. */
  public static int reapOrphans(DockerClient client, Duration olderThan) {
    long cutoff = Instant.now().minus(olderThan).getEpochSecond();
    List<Container> containers =
        client
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(LABEL, "true"))
            .exec();
    int removed = 0;
    for (Container container : containers) {
      Long created = container.getCreated();
      if (created != null && created > cutoff) {
        continue;
      }
      try {
        client.removeContainerCmd(container.getId()).withForce(true).exec();
        removed++;
      } catch (NotFoundException alreadyGone) {
        // Removed concurrently (its own executor's finally): nothing to do.
      }
    }
    if (removed > 0) {
      log.info("removed {} leftover sandbox container(s)", removed);
    }
    return removed;
  }
}
