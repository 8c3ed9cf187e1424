package dev.quarry.workers.temporal;

import dev.quarry.workers.config.TemporalSettings;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.file.Files;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The TLS side of a Temporal connection, from {@link TemporalSettings.Security}: which CA to trust
 * for the server (default: the JVM's trust store) and which client certificate to present for
 * mutual TLS. Every problem is reported with the setting that fixes it, before any connection.
 */
final class TemporalTls {
  private TemporalTls() {}

  /**
   * Whether the settings ask for TLS at all (an API key alone does too: it must not travel in
   * clear).
   */
  static boolean wanted(TemporalSettings.Security security, boolean apiKeyPresent) {
    return security.isTls()
        || !security.getServerCa().isBlank()
        || !security.getClientCert().isBlank()
        || !security.getClientKey().isBlank()
        || apiKeyPresent;
  }

  static SslContext sslContext(TemporalSettings.Security security) {
    boolean cert = !security.getClientCert().isBlank();
    boolean key = !security.getClientKey().isBlank();
    if (cert != key) {
      throw new IllegalArgumentException(
          "mutual TLS needs both a client certificate and its key: set quarry.temporal.security.client-cert"
              + " (QUARRY_TEMPORAL_TLS_CLIENT_CERT) and quarry.temporal.security.client-key"
              + " (QUARRY_TEMPORAL_TLS_CLIENT_KEY), or neither");
    }
    SslContextBuilder builder = GrpcSslContexts.forClient();
    Optional<File> ca = file(security.getServerCa(), "server-ca", "QUARRY_TEMPORAL_TLS_SERVER_CA");
    if (ca.isPresent()) {
      try {
        builder.trustManager(ca.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the server CA "
                + ca.get()
                + " (QUARRY_TEMPORAL_TLS_SERVER_CA) is not"
                + " a PEM certificate: "
                + e.getMessage(),
            e);
      }
    }
    if (cert) {
      File certFile =
          file(security.getClientCert(), "client-cert", "QUARRY_TEMPORAL_TLS_CLIENT_CERT")
              .orElseThrow();
      File keyFile =
          file(security.getClientKey(), "client-key", "QUARRY_TEMPORAL_TLS_CLIENT_KEY")
              .orElseThrow();
      try {
        builder.keyManager(certFile, keyFile);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "cannot load the client certificate "
                + certFile
                + " with key "
                + keyFile
                + ": the certificate must be PEM and the key unencrypted PKCS#8 PEM (\"BEGIN PRIVATE KEY\";"
                + " convert with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`): "
                + e.getMessage(),
            e);
      }
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS for Temporal from quarry.temporal.security: " + e.getMessage(), e);
    }
  }

  private static Optional<File> file(String path, String setting, String env) {
    if (path.isBlank()) {
      return Optional.empty();
    }
    File file = new File(path);
    if (!Files.isReadable(file.toPath())) {
      throw new IllegalArgumentException(
          "quarry.temporal.security."
              + setting
              + " ("
              + env
              + ") names "
              + file.getAbsolutePath()
              + ", which does not exist or cannot be read");
    }
    return Optional.of(file);
  }
}
