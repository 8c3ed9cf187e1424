package dev.quarry.workers.cli.sandbox;

import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.workers.config.QuarrySettings;

/** The sandbox the CLI commands use: the same image and parallelism as the workers. */
final class Sandboxes {
  private Sandboxes() {}

  static DockerSandboxExecutor open(QuarrySettings settings) {
    return DockerSandboxExecutor.create(settings.getSandbox().toSandboxSettings());
  }
}
