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
 * Removes sandbox containers that a worker left behind (a crash or a kill between create and
 * remove). Every sandbox container carries the label {@value #LABEL}=true and {@value
 * #DEADLINE_LABEL}: the epoch second after which no executor still waits for it. Only those past
 * their deadline are removed, so workers sharing one engine never remove each other's live
 * containers, and reaping can run at any time, from any worker.
 */
public final class ContainerReaper {
  public static final String LABEL = "quarry.sandbox";
  public static final String DEADLINE_LABEL = "quarry.sandbox.deadline";

  /** Added to a batch's own deadline: the executor's removal itself may lag a little. */
  static final Duration GRACE = Duration.ofMinutes(1);

  /** For containers without a deadline label (made by older workers): assume this lifetime. */
  static final Duration UNLABELLED_LIFETIME = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);

  private ContainerReaper() {}

  /** The labels for a container whose executor gives up on it after {@code batchDeadline}. */
  static Map<String, String> labels(Instant now, Duration batchDeadline) {
    long deadline = now.plus(batchDeadline).plus(GRACE).getEpochSecond();
    return Map.of(LABEL, "true", DEADLINE_LABEL, Long.toString(deadline));
  }

  /**
   * Removes every sandbox container whose deadline has passed at {@code now}, running or not.
   *
   * @return how many containers were removed
   */
  public static int reapExpired(DockerClient client, Instant now) {
    List<Container> containers =
        client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec();
    int removed = 0;
    for (Container container : containers) {
      if (!expired(container, now)) {
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
      log.info("removed {} abandoned sandbox container(s)", removed);
    }
    return removed;
  }

  static boolean expired(Container container, Instant now) {
    Map<String, String> labels = container.getLabels();
    String deadline = labels == null ? null : labels.get(DEADLINE_LABEL);
    if (deadline != null) {
      try {
        return Long.parseLong(deadline) < now.getEpochSecond();
      } catch (NumberFormatException e) {
        return true; // not ours to keep: nobody writes a malformed deadline
      }
    }
    Long created = container.getCreated();
    return created == null || created + UNLABELLED_LIFETIME.toSeconds() < now.getEpochSecond();
  }
}
