package dev.quarry.activities.training.container;

import java.util.List;

/**
 * A user-supplied trainer image to run for one round.
 *
 * @param command the container's command; empty keeps the image's own
 * @param gpus 0 for none, n for n GPUs, -1 for all of them
 * @param envNames names of worker environment variables passed through (values are never logged)
 */
public record ContainerJob(String image, List<String> command, int gpus, List<String> envNames) {
  public ContainerJob {
    command = command == null ? List.of() : List.copyOf(command);
    envNames = envNames == null ? List.of() : List.copyOf(envNames);
  }
}
