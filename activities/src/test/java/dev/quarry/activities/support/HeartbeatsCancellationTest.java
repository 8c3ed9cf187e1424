package dev.quarry.activities.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.llm.ChatMessage;
import dev.quarry.activities.llm.ChatRequest;
import dev.quarry.activities.llm.EndpointConfig;
import dev.quarry.activities.llm.OpenAiClient;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cancelled activity's work stops: the thread is interrupted and an HTTP call in flight is
 * cancelled (its socket closed), within one heartbeat interval. Before, Heartbeats swallowed the
 * cancellation and the work ran to its end.
 */
class HeartbeatsCancellationTest {
  @ActivityInterface
  public interface LongWork {
    String sleep(int seconds);

    String askStallingServer(String url);
  }

  static final class LongWorkImpl implements LongWork {
    final AtomicBoolean interrupted = new AtomicBoolean();
    final CountDownLatch sleeping = new CountDownLatch(1);

    @Override
    public String sleep(int seconds) {
      sleeping.countDown();
      return Heartbeats.during(
          "sleeping",
          () -> {
            try {
              Thread.sleep(seconds * 1000L);
              return "slept";
            } catch (InterruptedException e) {
              interrupted.set(true);
              throw new IllegalStateException("interrupted", e);
            }
          });
    }

    @Override
    public String askStallingServer(String url) {
      // A read timeout far beyond the test: only the cancellation can end this call.
      try (OpenAiClient client =
          new OpenAiClient(new EndpointConfig(url, null, Duration.ofMinutes(10), 1))) {
        return Heartbeats.during(
            "asking",
            () -> {
              try {
                return client.chat(ChatRequest.of("m", List.of(ChatMessage.user("hi")))).toString();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
      }
    }
  }

  /** Accepts connections and never answers; counts connections open right now. */
  static final class StallingServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger open = new AtomicInteger();
    final CountDownLatch accepted = new CountDownLatch(1);
    final Thread acceptor;

    StallingServer() throws IOException {
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket client = socket.accept();
                    open.incrementAndGet();
                    accepted.countDown();
                    new Thread(() -> drainUntilClosed(client)).start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void drainUntilClosed(Socket client) {
      try (client;
          InputStream in = client.getInputStream()) {
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
          // the request; then nothing is ever sent back
        }
      } catch (IOException e) {
        // reset by the client: closed all the same
      } finally {
        open.decrementAndGet();
      }
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private TestActivityEnvironment env;
  private LongWorkImpl impl;
  private LongWork stub;

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    impl = new LongWorkImpl();
    env.registerActivitiesImplementations(impl);
    stub =
        env.newActivityStub(
            LongWork.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setHeartbeatTimeout(Duration.ofSeconds(5))
                .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aCancelledActivityInterruptsItsWork() throws Exception {
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> stub.sleep(300));
    assertTrue(impl.sleeping.await(20, TimeUnit.SECONDS), "the activity started");
    long cancelled = System.nanoTime();
    env.requestCancelActivity();

    Exception failure = assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
    assertTrue(impl.interrupted.get(), "the working thread was interrupted: " + failure);
    // Heartbeat timeout 5 s: the SDK sends at most every 4 s, our timer every 10 s.
    assertTrue(millis < 15_000, "stopped " + millis + " ms after the cancellation");
    System.out.println("sleep cancelled after " + millis + " ms: " + failure);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aCancelledActivityCancelsItsHttpCall() throws Exception {
    try (StallingServer server = new StallingServer()) {
      CompletableFuture<String> call =
          CompletableFuture.supplyAsync(() -> stub.askStallingServer(server.url()));
      assertTrue(server.accepted.await(20, TimeUnit.SECONDS), "the request reached the server");
      assertEquals(1, server.open.get());
      long cancelled = System.nanoTime();
      env.requestCancelActivity();

      assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS));
      await("the request's connection was closed")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> server.open.get() == 0);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
      assertTrue(millis < 15_000, "connection closed " + millis + " ms after the cancellation");
      System.out.println("HTTP call cancelled; connection closed after " + millis + " ms");
    }
  }
}
