package dev.quarry.workers.config;

import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.FileBlobStore;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.store.S3BlobStore;
import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where workers keep artifacts, records and datasets (QUARRY_STORE): {@code file}, under
 * QUARRY_HOME and the run's outputDir on this machine (one host, or a shared volume); or {@code
 * s3}, in an S3 bucket that workers on different hosts share (QUARRY_S3_ENDPOINT, QUARRY_S3_REGION,
 * QUARRY_S3_BUCKET, QUARRY_S3_PREFIX). S3 credentials are not settings: the SDK reads them from the
 * worker's environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or its profile or role, so they
 * never reach a run's config or a workflow input.
 */
@ConfigurationProperties("quarry.store")
public class StoreSettings {
  @NotNull private StoreKind kind = StoreKind.FILE;
  private String s3Endpoint = "";
  private String s3Region = "us-east-1";
  private String s3Bucket = "";
  private String s3Prefix = "";

  /** The stores of one process; closes the S3 client. */
  public record Opened(
      FileArtifactStore artifacts, RecordStore records, DatasetFiles datasets, AutoCloseable client)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        if (client != null) {
          client.close();
        }
      } catch (Exception e) {
        // closing an HTTP client: nothing to recover
      }
    }
  }

  /** Opens the configured store; under {@code home} for kind {@code file}. */
  public Opened open(Path home) throws IOException {
    switch (kind) {
      case FILE:
        return new Opened(
            new FileArtifactStore(new FileBlobStore(home.resolve("artifacts"))),
            new RecordStore(new FileBlobStore(home.resolve("records"))),
            DatasetFiles.local(),
            null);
      case S3:
        S3BlobStore s3 = S3BlobStore.open(s3());
        s3.ensureBucket(); // a fresh store: one HEAD request when the bucket is there
        return new Opened(
            new FileArtifactStore(s3.under("artifacts/")),
            new RecordStore(s3.under("records/")),
            DatasetFiles.in(s3),
            s3);
      default:
        throw new IllegalStateException("unhandled store kind " + kind);
    }
  }

  public S3BlobStore.Settings s3() {
    return new S3BlobStore.Settings(s3Endpoint, s3Region, s3Bucket, s3Prefix, null, null);
  }

  public StoreKind getKind() {
    return kind;
  }

  public void setKind(StoreKind kind) {
    this.kind = kind;
  }

  public String getS3Endpoint() {
    return s3Endpoint;
  }

  public void setS3Endpoint(String s3Endpoint) {
    this.s3Endpoint = s3Endpoint;
  }

  public String getS3Region() {
    return s3Region;
  }

  public void setS3Region(String s3Region) {
    this.s3Region = s3Region;
  }

  public String getS3Bucket() {
    return s3Bucket;
  }

  public void setS3Bucket(String s3Bucket) {
    this.s3Bucket = s3Bucket;
  }

  public String getS3Prefix() {
    return s3Prefix;
  }

  public void setS3Prefix(String s3Prefix) {
    this.s3Prefix = s3Prefix;
  }
}
