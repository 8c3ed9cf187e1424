package dev.quarry.activities.training.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A scripted OpenAI-style fine-tuning service for MockWebServer: each GET of the job answers the
 * next status of the script (the last one repeats), and every request is kept for assertions.
 */
final class FakeFineTuningProvider extends Dispatcher {
  static final String JOB = "ftjob-abc123";
  private final List<String> statuses;
  private final String failure;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> uploads = new CopyOnWriteArrayList<>();
  private int polls;
  private boolean cancelled;

  FakeFineTuningProvider(String failure, String... statuses) {
    this.statuses = new ArrayList<>(List.of(statuses));
    this.failure = failure;
  }

  long count(String requestLine) {
    return requests.stream().filter(requestLine::equals).count();
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    requests.add(request.getMethod() + " " + path);
    if (path.equals("/v1/files")) {
      uploads.add(request.getBody() == null ? "" : request.getBody().utf8());
      return json(200, "{\"id\":\"file-xyz\",\"object\":\"file\",\"purpose\":\"fine-tune\"}");
    }
    if (path.equals("/v1/fine_tuning/jobs")) {
      return json(200, job("validating_files"));
    }
    if (path.equals("/v1/fine_tuning/jobs/" + JOB + "/cancel")) {
      cancelled = true;
      return json(200, job("cancelled"));
    }
    if (path.equals("/v1/fine_tuning/jobs/" + JOB + "/events")) {
      // Newest first, as the API lists them.
      return json(
          200,
          "{\"data\":["
              + "{\"id\":\"ev3\",\"message\":\"Step 20/20: training loss=0.4100\","
              + "\"data\":{\"step\":20,\"train_loss\":0.41}},"
              + "{\"id\":\"ev2\",\"message\":\"Step 10/20: training loss=0.9000\","
              + "\"data\":{\"step\":10,\"train_loss\":0.9}},"
              + "{\"id\":\"ev1\",\"message\":\"Validating training file\"}]}");
    }
    if (path.equals("/v1/fine_tuning/jobs/" + JOB)) {
      String status = cancelled ? "cancelled" : statuses.get(Math.min(polls, statuses.size() - 1));
      polls++;
      return json(200, job(status));
    }
    return json(404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
  }

  private String job(String status) {
    String model = status.equals("succeeded") ? "\"ft:base-model:quarry:abc123\"" : "null";
    String error =
        status.equals("failed")
            ? "{\"code\":\"invalid_training_file\",\"message\":\"" + failure + "\"}"
            : "null";
    return "{\"id\":\""
        + JOB
        + "\",\"object\":\"fine_tuning.job\",\"status\":\""
        + status
        + "\",\"fine_tuned_model\":"
        + model
        + ",\"error\":"
        + error
        + "}";
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
