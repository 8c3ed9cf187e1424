package dev.quarry.activities.training.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.activities.store.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The endpoints of an OpenAI-compatible fine-tuning API that Quarry needs: file upload, job create
 * / get / cancel and the job's events. Each call is one HTTP request; retrying is the activity's
 * business (Temporal retries), so failures surface as {@link FineTuningApiException}.
 */
public final class FineTuningApi {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final MediaType JSONL_TYPE = MediaType.get("application/jsonl");
  private final HttpUrl base;
  private final String apiKey;
  private final OkHttpClient http;

  /**
   * @param endpoint base URL ending in {@code /v1/}
   * @param apiKey bearer token; null for servers without authentication
   */
  public FineTuningApi(String endpoint, String apiKey, OkHttpClient http) {
    HttpUrl parsed = HttpUrl.parse(endpoint.endsWith("/") ? endpoint : endpoint + "/");
    if (parsed == null) {
      throw new IllegalArgumentException("not a URL: " + endpoint);
    }
    this.base = parsed;
    this.apiKey = apiKey;
    this.http = http;
  }

  /** POST files (purpose fine-tune); returns the file id. */
  public String uploadFile(Path file) {
    RequestBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("purpose", "fine-tune")
            .addFormDataPart(
                "file",
                file.getFileName().toString(),
                RequestBody.create(file.toFile(), JSONL_TYPE))
            .build();
    return call(request("files").post(body)).path("id").asText();
  }

  /**
   * POST fine_tuning/jobs.
   *
   * @param preference true for preference pairs (DPO): the job then names {@code method: dpo} and
   *     carries the hyperparameters inside it, as the API requires for that method; supervised jobs
   *     keep the top-level {@code hyperparameters} every compatible provider understands
   */
  public FineTuningJob createJob(
      String model,
      String trainingFile,
      String suffix,
      Map<String, Object> hyperparameters,
      boolean preference) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("model", model);
    payload.put("training_file", trainingFile);
    if (suffix != null && !suffix.isBlank()) {
      payload.put("suffix", suffix);
    }
    if (preference) {
      ObjectNode method = payload.putObject("method");
      method.put("type", "dpo");
      method.putObject("dpo").set("hyperparameters", Json.MAPPER.valueToTree(hyperparameters));
    } else if (!hyperparameters.isEmpty()) {
      payload.set("hyperparameters", Json.MAPPER.valueToTree(hyperparameters));
    }
    return job(
        call(request("fine_tuning/jobs").post(RequestBody.create(Json.bytes(payload), JSON_TYPE))));
  }

  /** GET fine_tuning/jobs/{id}. */
  public FineTuningJob getJob(String jobId) {
    return job(call(request("fine_tuning/jobs/" + jobId).get()));
  }

  /** POST fine_tuning/jobs/{id}/cancel. */
  public FineTuningJob cancel(String jobId) {
    return job(
        call(
            request("fine_tuning/jobs/" + jobId + "/cancel")
                .post(RequestBody.create(new byte[0]))));
  }

  /** GET fine_tuning/jobs/{id}/events, oldest first (the API lists newest first). */
  public List<FineTuningEvent> events(String jobId) {
    JsonNode data =
        call(request("fine_tuning/jobs/" + jobId + "/events?limit=100").get()).path("data");
    List<FineTuningEvent> events = new ArrayList<>();
    for (JsonNode e : data) {
      JsonNode loss = e.path("data").path("train_loss");
      events.add(
          new FineTuningEvent(
              e.path("id").asText(),
              e.path("message").asText(),
              loss.isNumber() ? loss.asDouble() : null));
    }
    Collections.reverse(events);
    return events;
  }

  private static FineTuningJob job(JsonNode node) {
    JsonNode error = node.path("error");
    String message = error.isObject() ? error.path("message").asText(null) : null;
    return new FineTuningJob(
        node.path("id").asText(),
        node.path("status").asText(),
        node.path("fine_tuned_model").asText(null),
        message);
  }

  private Request.Builder request(String path) {
    HttpUrl url = base.resolve(path);
    if (url == null) {
      throw new IllegalArgumentException("cannot resolve " + path + " against " + base);
    }
    Request.Builder rb = new Request.Builder().url(url);
    if (apiKey != null && !apiKey.isEmpty()) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    return rb;
  }

  private JsonNode call(Request.Builder rb) {
    Request request = rb.build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw new FineTuningApiException(
            response.code(),
            request.method()
                + " "
                + request.url().encodedPath()
                + " answered "
                + response.code()
                + ": "
                + body,
            null);
      }
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new FineTuningApiException(
          0,
          request.method() + " " + request.url().encodedPath() + " failed: " + e.getMessage(),
          e);
    }
  }
}
