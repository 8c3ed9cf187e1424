package dev.quarry.activities.store;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs as objects in an S3 bucket, under a key prefix: the store workers on different hosts share
 * instead of a network filesystem. Any S3-compatible endpoint (AWS, SeaweedFS, Ceph RGW) with
 * path-style addressing, so a bucket needs no DNS name of its own. An S3 PUT is atomic: a reader
 * sees the whole old or the whole new object, which is what a retried write needs.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  /**
   * Where the store is. The credentials come from here when both are set, else from the SDK's
   * default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles); they are
   * worker settings, never part of a run's config or a workflow input.
   *
   * @param endpoint e.g. http://127.0.0.1:8333; blank for AWS's own endpoint of the region
   * @param prefix key prefix inside the bucket, e.g. "quarry/" ("" for none)
   */
  public record Settings(
      String endpoint,
      String region,
      String bucket,
      String prefix,
      String accessKey,
      String secretKey) {
    public Settings {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("the S3 store needs a bucket (QUARRY_S3_BUCKET)");
      }
      region = region == null || region.isBlank() ? "us-east-1" : region;
      prefix = prefix == null ? "" : prefix;
    }

    @Override
    public String toString() { // never print the secret
      return "S3 "
          + (endpoint == null || endpoint.isBlank() ? "(AWS)" : endpoint)
          + " bucket "
          + bucket
          + (prefix.isEmpty() ? "" : " prefix " + prefix);
    }
  }

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final String endpoint;

  public S3BlobStore(S3Client client, String bucket, String prefix, String endpoint) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix;
    this.endpoint = endpoint == null ? "" : endpoint;
  }

  public static S3BlobStore open(Settings settings) {
    var builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .forcePathStyle(true);
    if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    return new S3BlobStore(
        builder.build(), settings.bucket(), settings.prefix(), settings.endpoint());
  }

  private static AwsCredentialsProvider credentials(Settings settings) {
    if (settings.accessKey() != null
        && !settings.accessKey().isBlank()
        && settings.secretKey() != null
        && !settings.secretKey().isBlank()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public void put(String key, byte[] content) throws IOException {
    try {
      client.putObject(b -> b.bucket(bucket).key(objectKey(key)), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw new IOException("cannot write " + locate(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    try {
      return Optional.of(
          client.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey(key))).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
        return Optional.empty();
      }
      throw new IOException("cannot read " + locate(key) + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("cannot read " + locate(key) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The same bucket and client, under a folder of this store's prefix (closing either closes both).
   */
  public S3BlobStore under(String folder) {
    return new S3BlobStore(client, bucket, prefix + folder, endpoint);
  }

  /** Creates the bucket unless it exists (for the scripts and tests that start a fresh server). */
  public void ensureBucket() throws IOException {
    try {
      client.headBucket(b -> b.bucket(bucket));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw new IOException(
            "cannot reach bucket " + bucket + " at " + endpoint + ": " + e.getMessage(), e);
      }
      try {
        client.createBucket(b -> b.bucket(bucket));
      } catch (SdkException created) {
        throw new IOException(
            "cannot create bucket " + bucket + " at " + endpoint + ": " + created.getMessage(),
            created);
      }
    } catch (SdkException e) {
      throw new IOException(
          "cannot reach bucket " + bucket + " at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String locate(String key) {
    return "s3://"
        + bucket
        + "/"
        + objectKey(key)
        + (endpoint.isEmpty() ? "" : " (" + endpoint + ")");
  }

  private String objectKey(String key) {
    if (key.contains("..")) {
      throw new IllegalArgumentException("blob keys must not contain '..': " + key);
    }
    return prefix + key;
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
  }

  @Override
  public void close() {
    client.close();
  }
}
