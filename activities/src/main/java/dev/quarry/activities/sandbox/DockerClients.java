package dev.quarry.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/** Builds docker-java clients on the httpclient5 transport. */
public final class DockerClients {
  private DockerClients() {}

  /**
   * A client for the engine at {@code settings.dockerHost()}, or, when that is null, at DOCKER_HOST
   * (and the rest of the standard Docker environment) or the platform default.
   */
  public static DockerClient connect(SandboxSettings settings) {
    DockerClientConfig config = config(settings);
    // No response timeout: an attach stream is legitimately silent while programs run; every
    // batch has its own deadline instead.
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** The engine address {@link #connect} uses, for error messages. */
  public static String engineAddress(SandboxSettings settings) {
    return String.valueOf(config(settings).getDockerHost());
  }

  private static DockerClientConfig config(SandboxSettings settings) {
    DefaultDockerClientConfig.Builder builder =
        DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (settings.dockerHost() != null) {
      builder.withDockerHost(settings.dockerHost());
    }
    return builder.build();
  }
}
