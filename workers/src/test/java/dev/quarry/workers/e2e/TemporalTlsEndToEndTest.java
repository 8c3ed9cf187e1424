package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.workers.cli.dev.DevStack;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.config.TemporalSettings;
import dev.quarry.workers.temporal.SearchAttributeRegistration;
import dev.quarry.workers.temporal.TemporalClients;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workers.temporal.codec.AesGcmPayloadCodec;
import dev.quarry.workers.temporal.codec.CodecServer;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secured Temporal connections end to end, on the real Temporal Server with a frontend that accepts
 * mutual TLS only (temporal-config/tls-dev.yaml) and certificates from scripts/make-test-certs.sh:
 * workers and client connect through {@link TemporalClients} with a valid client certificate and
 * payload encryption, a SPARQ round runs on the scripted model, and the raw history read back from
 * the server holds no plaintext of it, while the same bytes decrypted with the key do. Clients
 * without a certificate, with one from another CA, or without TLS at all are refused with a message
 * that names the setting to fix.
 */
class TemporalTlsEndToEndTest {
  @TempDir static Path temp;

  private static TemporalTlsServer server;
  private static Path keyFile;

  @BeforeAll
  static void startServer() throws Exception {
    server = TemporalTlsServer.start(temp.resolve("temporal"));
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    keyFile = temp.resolve("payload-keys");
    Files.writeString(
        keyFile, "# test key\ntls-e2e:" + Base64.getEncoder().encodeToString(key) + "\n");
    // A fresh server has only the system namespace: create Quarry's, over mutual TLS.
    try (TemporalConnection admin = openWhenServing(settings("client.pem", "client.key", false))) {
      admin
          .service()
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace("default")
                  .setWorkflowExecutionRetentionPeriod(Durations.fromDays(1))
                  .build());
      awaitNamespace(admin.service());
      SearchAttributeRegistration.ensure(admin.service(), "default");
    }
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Settings for the TLS server: the test CA, the given client certificate (or none), and payload
   * keys.
   */
  private static QuarrySettings settings(String cert, String key, boolean encrypt) {
    QuarrySettings settings = new QuarrySettings();
    settings.setHome(temp.resolve("home").toString());
    settings.getTemporal().setAddress(server.address());
    TemporalSettings.Security security = settings.getTemporal().getSecurity();
    security.setServerCa(server.cert("ca.pem").toString());
    security.setClientCert(cert == null ? "" : server.cert(cert).toString());
    security.setClientKey(key == null ? "" : server.cert(key).toString());
    security.setApiKeyEnv("");
    security.setPayloadKeysEnv("");
    security.setPayloadKeysFile(encrypt ? keyFile.toString() : "");
    return settings;
  }

  /** The frontend's port opens before it serves: retry the first connection for a while. */
  private static TemporalConnection openWhenServing(QuarrySettings settings)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (true) {
      try {
        return TemporalConnection.open(settings);
      } catch (IllegalStateException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw notYet;
        }
        Thread.sleep(1000);
      }
    }
  }

  private static void awaitNamespace(WorkflowServiceStubs service) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        service
            .blockingStub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder().setNamespace("default").build());
        return;
      } catch (RuntimeException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw notYet;
        }
        Thread.sleep(500);
      }
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aWorkerWithAValidCertificateRunsARoundAndTheServerStoresOnlyCiphertext() throws Exception {
    QuarrySettings settings = settings("client.pem", "client.key", true);
    QuarryHome home = new QuarryHome(settings.homePath());
    try (ScriptedLlmServer llm = new ScriptedLlmServer().start("127.0.0.1", 0);
        TemporalConnection temporal = TemporalConnection.open(settings)) {
      WorkerFactory workers =
          WorkerRuntime.build(
              temporal.client(),
              Set.of(TaskQueues.WORKFLOWS, TaskQueues.LLM, TaskQueues.TRAIN),
              home,
              new WorkerRuntime.Capacity(4, 1),
              () -> new LlmChatModel(Duration.ofMinutes(1), home.llmCache()),
              () -> {
                throw new IllegalStateException("SPARQ runs no programs");
              });
      workers.start();
      RunSummary summary;
      Map<String, Object> config = sparqConfig(llm.baseUrl() + "/v1");
      try {
        summary =
            temporal
                .client()
                .newWorkflowStub(
                    GenerationRunWorkflow.class,
                    WorkflowOptions.newBuilder()
                        .setWorkflowId("tls-sparq")
                        .setTaskQueue(TaskQueues.WORKFLOWS)
                        .build())
                .run(RunInput.start(config));
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
      }
      // The run itself worked over mTLS with encrypted payloads: rows reached the dataset.
      assertEquals(1, summary.roundsCompleted());
      List<String> lines =
          Files.readAllLines(Path.of(summary.rounds().get(0).shard().datasetFile()));
      assertTrue(
          lines.size() >= 1,
          "the scripted model gets SPARQ problems through: "
              + summary.rounds().get(0).invalidReasons());
      JsonNode row = Json.MAPPER.readTree(lines.get(0));
      // What a run puts into history: its config (seed file, model endpoints, output folder) and
      // the skills of each problem's niche. Problem and solution texts never enter it (workflows
      // pass artifact references), which is checked on both sides below.
      List<String> secrets =
          List.of(
              (String) ((Map<?, ?>) config.get("seeds")).get("file"),
              llm.baseUrl(),
              (String) config.get("outputDir"),
              row.get("niche").get(0).asText());
      List<String> neverInHistory =
          List.of(row.get("problem").asText(), row.get("solution").asText());

      // Every history of the namespace (the run and all its children), as the server stores it.
      List<Payload> payloads = new ArrayList<>();
      byte[] raw = rawHistories(temporal.service(), payloads);
      String rawText = new String(raw, StandardCharsets.ISO_8859_1);
      AesGcmPayloadCodec codec =
          TemporalClients.codec(settings.getTemporal().getSecurity(), name -> null).orElseThrow();
      StringBuilder decoded = new StringBuilder();
      for (Payload payload : codec.decode(payloads)) {
        decoded.append(payload.getData().toStringUtf8()).append('\n');
      }
      long encrypted =
          payloads.stream()
              .filter(
                  p ->
                      AesGcmPayloadCodec.ENCODING.equals(
                          p.getMetadataOrDefault("encoding", ByteString.EMPTY).toStringUtf8()))
              .count();
      System.out.println(
          "TLS+codec run: "
              + lines.size()
              + " rows; raw histories "
              + raw.length
              + " bytes, "
              + payloads.size()
              + " payloads of which "
              + encrypted
              + " encrypted");
      assertTrue(encrypted > 20, "the run's payloads are encrypted: " + encrypted);
      for (String text : neverInHistory) {
        assertFalse(rawText.contains(text), "problem text in the server's raw history: " + text);
        assertFalse(
            decoded.toString().contains(text),
            "problem texts travel as artifact references: " + text);
      }
      for (String secret : secrets) {
        assertFalse(rawText.contains(secret), "plaintext in the server's raw history: " + secret);
        assertTrue(
            decoded.toString().contains(secret),
            "the key holder reads it back (so the search above looked for something that was there): "
                + secret);
      }

      // A client with the right certificate but without the key cannot read the result.
      try (TemporalConnection keyless =
          TemporalConnection.open(settings("client.pem", "client.key", false))) {
        RuntimeException e =
            assertThrows(
                RuntimeException.class,
                () ->
                    keyless
                        .client()
                        .newUntypedWorkflowStub("tls-sparq")
                        .getResult(RunSummary.class));
        assertTrue(causes(e).contains("binary/encrypted"), causes(e));
      }

      // The Temporal CLI decodes the same history through Quarry's codec server, and only through
      // it.
      try (CodecServer codecServer =
          new CodecServer(codec, Set.of("http://localhost:8233"), Optional.empty())
              .start("127.0.0.1", 0)) {
        String viaCodec = cliShow("--codec-endpoint", "http://127.0.0.1:" + codecServer.port());
        String withoutCodec = cliShow();
        String seedFile = secrets.get(0);
        assertTrue(
            payloadText(viaCodec).contains(seedFile),
            "temporal workflow show decodes through the codec server");
        assertFalse(
            payloadText(withoutCodec).contains(seedFile),
            "without the codec server the CLI sees ciphertext");
      }
    }
  }

  @Test
  void aClientWithoutACertificateIsRefusedWithWhatToSet() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> TemporalConnection.open(settings(null, null, false)).close());
    System.out.println("no certificate: " + e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "TLS handshake with the Temporal server at " + server.address() + " failed"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("requires a client certificate")
            && e.getMessage().contains("QUARRY_TEMPORAL_TLS_CLIENT_CERT"),
        e.getMessage());
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TemporalConnection.open(settings("other-client.pem", "other-client.key", false))
                    .close());
    System.out.println("other CA: " + e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith(
                "TLS handshake with the Temporal server at " + server.address() + " failed"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("refused the client certificate " + server.cert("other-client.pem")),
        e.getMessage());
  }

  @Test
  void aPlainConnectionToTheTlsOnlyServerIsRefusedAndPointsAtTheTlsSettings() {
    QuarrySettings plain = settings(null, null, false);
    plain.getTemporal().getSecurity().setServerCa("");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> TemporalConnection.open(plain).close());
    System.out.println("plain: " + e.getMessage());
    assertTrue(e.getMessage().contains("QUARRY_TEMPORAL_TLS"), e.getMessage());
  }

  @Test
  void aServerCertificateFromAnUntrustedCaIsRefused() {
    QuarrySettings wrongCa = settings("client.pem", "client.key", false);
    wrongCa.getTemporal().getSecurity().setServerCa(server.cert("other-ca.pem").toString());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> TemporalConnection.open(wrongCa).close());
    System.out.println("untrusted server: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("TLS handshake"), e.getMessage());
    assertTrue(e.getMessage().contains("does not trust the server's certificate"), e.getMessage());
  }

  private static Map<String, Object> sparqConfig(String endpoint) {
    Map<String, Object> config = new HashMap<>();
    config.put("method", "sparq");
    config.put("seed", 11);
    config.put("promptsPerRound", 4);
    config.put(
        "seeds",
        Map.of(
            "file",
            TemporalTlsServer.REPO.resolve("seeds/math-seeds.jsonl").toString(),
            "format",
            "math"));
    config.put("outputDir", temp.resolve("datasets-sparq").toString());
    config.put("sparq", Map.of("rollouts", 3));
    Map<String, Object> roles = new HashMap<>();
    for (String role : List.of("generator", "skillTagger", "solver")) {
      roles.put(role, Map.of("endpoint", endpoint, "model", "scripted", "maxTokens", 512));
    }
    config.put("roles", roles);
    return config;
  }

  /**
   * The bytes of every history in the namespace, fetched without any codec; collects their
   * payloads.
   */
  private static byte[] rawHistories(WorkflowServiceStubs service, List<Payload> payloads)
      throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<WorkflowExecutionInfo> executions =
        service
            .blockingStub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace("default")
                    .setPageSize(1000)
                    .build())
            .getExecutionsList();
    assertTrue(executions.size() > 1, "the run and its children: " + executions.size());
    for (WorkflowExecutionInfo info : executions) {
      WorkflowExecution execution = info.getExecution();
      ByteString page = ByteString.EMPTY;
      do {
        GetWorkflowExecutionHistoryResponse response =
            service
                .blockingStub()
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(execution)
                        .setNextPageToken(page)
                        .build());
        all.write(response.getHistory().toByteArray());
        collectPayloads(response.getHistory(), payloads);
        page = response.getNextPageToken();
      } while (!page.isEmpty());
    }
    return all.toByteArray();
  }

  private static void collectPayloads(Message message, List<Payload> out) {
    if (message instanceof Payload payload) {
      out.add(payload);
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object element : (List<?>) field.getValue()) {
          collectPayloads((Message) element, out);
        }
      } else {
        collectPayloads((Message) field.getValue(), out);
      }
    }
  }

  /** {@code temporal workflow show} of the run, over mTLS, as JSON. */
  private static String cliShow(String... extra) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                DevStack.temporalBinary(),
                "workflow",
                "show",
                "--workflow-id",
                "tls-sparq",
                "--output",
                "json",
                "--address",
                server.address(),
                "--tls-ca-path",
                server.cert("ca.pem").toString(),
                "--tls-cert-path",
                server.cert("client.pem").toString(),
                "--tls-key-path",
                server.cert("client.key").toString()));
    command.addAll(List.of(extra));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return output;
  }

  /**
   * The payload data in the CLI's JSON history (protobuf JSON: bytes as base64), decoded and
   * joined.
   */
  private static String payloadText(String cliJson) throws Exception {
    StringBuilder text = new StringBuilder();
    for (JsonNode data : Json.MAPPER.readTree(cliJson).findValues("data")) {
      if (data.isTextual()) {
        try {
          text.append(
                  new String(
                      Base64.getDecoder().decode(data.asText()), StandardCharsets.ISO_8859_1))
              .append('\n');
        } catch (IllegalArgumentException notBase64) {
          text.append(data.asText()).append('\n');
        }
      }
    }
    return text.toString();
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      text.append(cause).append(" / ");
    }
    return text.toString();
  }
}
