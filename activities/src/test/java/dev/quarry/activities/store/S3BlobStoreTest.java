package dev.quarry.activities.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.artifacts.ArtifactRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store against a real S3 server (SeaweedFS, started here on free ports): artifacts, records
 * and dataset files round-trip through a bucket, a missing key is absent (not an error), and wrong
 * credentials fail with the object's address in the message. Skipped, saying why, when the weed
 * binary is absent (scripts/ensure-seaweedfs.sh builds it); the cluster check always runs it.
 */
class S3BlobStoreTest {
  @TempDir static Path dir;
  private static SeaweedS3Server server;
  private static S3BlobStore store;

  @BeforeAll
  static void startServer() throws Exception {
    Path weed = SeaweedS3Server.binary();
    Assumptions.assumeTrue(
        weed != null,
        "SKIPPED: no SeaweedFS binary ($QUARRY_HOME/bin/weed): run scripts/ensure-seaweedfs.sh to test the S3 store");
    server = SeaweedS3Server.start(weed, dir);
    store = S3BlobStore.open(settings("quarry-test-bucket", SeaweedS3Server.SECRET_KEY));
    store.ensureBucket();
    store.ensureBucket(); // idempotent: the bucket exists now
  }

  @AfterAll
  static void stopServer() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static S3BlobStore.Settings settings(String bucket, String secret) {
    return new S3BlobStore.Settings(
        server.endpoint(), "us-east-1", bucket, "test/", SeaweedS3Server.ACCESS_KEY, secret);
  }

  @Test
  void blobsRoundTripAndAMissingKeyIsAbsent() throws IOException {
    byte[] content = "hello, bucket".getBytes(StandardCharsets.UTF_8);
    store.put("a/b.txt", content);
    assertArrayEquals(content, store.get("a/b.txt").orElseThrow());
    store.put("a/b.txt", "replaced".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "replaced", new String(store.get("a/b.txt").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), store.get("a/never-written.txt"));
    assertTrue(
        store.locate("a/b.txt").startsWith("s3://quarry-test-bucket/test/a/b.txt"),
        store.locate("a/b.txt"));
  }

  @Test
  void artifactsAreContentAddressedInTheBucket() throws IOException {
    FileArtifactStore artifacts = new FileArtifactStore(store.under("artifacts/"));
    byte[] content = "problem text".getBytes(StandardCharsets.UTF_8);
    ArtifactRef ref = artifacts.put(content);
    assertEquals(ref, artifacts.put(content));
    assertArrayEquals(content, artifacts.get(ref));
    // The same bytes are visible to another process's store on the same bucket: here, a second
    // client.
    try (S3BlobStore other =
        S3BlobStore.open(settings("quarry-test-bucket", SeaweedS3Server.SECRET_KEY))) {
      assertArrayEquals(content, new FileArtifactStore(other.under("artifacts/")).get(ref));
    }
    ArtifactRef missing = new ArtifactRef("0".repeat(64), 1);
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> artifacts.get(missing));
    assertTrue(
        e.getMessage().contains("s3://quarry-test-bucket/test/artifacts/00/"), e.getMessage());
  }

  @Test
  void recordsAndDatasetFilesLiveInTheBucket() throws IOException {
    RecordStore records = new RecordStore(store.under("records/"));
    records.write("runs/r1/round-0/prompt-3", Map.of("prompt", 3));
    assertEquals(
        Map.of("prompt", 3), records.read("runs/r1/round-0/prompt-3", Map.class).orElseThrow());
    assertEquals(Optional.empty(), records.read("runs/r1/round-0/prompt-4", Map.class));

    DatasetFiles files = DatasetFiles.in(store);
    Path file = Path.of("/somewhere/on/a/worker/datasets/r1/round-0.jsonl");
    files.write(file, "{\"row\":1}\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "{\"row\":1}\n", new String(files.read(file).orElseThrow(), StandardCharsets.UTF_8));
    // Another machine names the same run's file under its own outputDir: the same object.
    assertTrue(files.read(Path.of("/elsewhere/datasets/r1/round-0.jsonl")).isPresent());
    assertEquals(Optional.empty(), files.read(Path.of("/elsewhere/datasets/r1/round-1.jsonl")));
    assertArrayEquals(
        "{\"row\":1}\n".getBytes(StandardCharsets.UTF_8),
        store.get("datasets/r1/round-0.jsonl").orElseThrow());
  }

  @Test
  void wrongCredentialsFailNamingTheObject() {
    try (S3BlobStore wrong = S3BlobStore.open(settings("quarry-test-bucket", "not-the-secret"))) {
      IOException e = assertThrows(IOException.class, () -> wrong.put("x.txt", new byte[] {1}));
      assertTrue(e.getMessage().contains("s3://quarry-test-bucket/test/x.txt"), e.getMessage());
      assertThrows(IOException.class, () -> wrong.get("a/b.txt"));
    }
  }
}
