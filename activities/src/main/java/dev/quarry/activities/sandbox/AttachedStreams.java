package dev.quarry.activities.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Collects a container's attached stdout (the runner's report) and the tail of its stderr (the
 * runner's own complaints, for error messages). Stdout is capped: past the cap the runner is
 * misbehaving, and the batch fails rather than the worker running out of heap.
 */
final class AttachedStreams extends ResultCallback.Adapter<Frame> {
  private static final int STDERR_TAIL = 4096;

  private final long maxStdoutBytes;
  private final CountDownLatch attached = new CountDownLatch(1);
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private volatile boolean overflowed;

  AttachedStreams(long maxStdoutBytes) {
    this.maxStdoutBytes = maxStdoutBytes;
  }

  @Override
  public void onStart(Closeable stream) {
    super.onStart(stream);
    attached.countDown();
  }

  @Override
  public void onNext(Frame frame) {
    byte[] payload = frame.getPayload();
    if (payload == null) {
      return;
    }
    synchronized (this) {
      if (frame.getStreamType() == StreamType.STDERR) {
        stderr.writeBytes(payload);
        if (stderr.size() > 4 * STDERR_TAIL) {
          byte[] all = stderr.toByteArray();
          stderr.reset();
          stderr.write(all, all.length - STDERR_TAIL, STDERR_TAIL);
        }
      } else if (stdout.size() + (long) payload.length > maxStdoutBytes) {
        overflowed = true;
      } else {
        stdout.writeBytes(payload);
      }
    }
  }

  boolean awaitAttached(long timeout, TimeUnit unit) throws InterruptedException {
    return attached.await(timeout, unit);
  }

  long maxStdoutBytes() {
    return maxStdoutBytes;
  }

  boolean overflowed() {
    return overflowed;
  }

  synchronized byte[] stdout() {
    return stdout.toByteArray();
  }

  synchronized String stderrTail() {
    String text = stderr.toString(StandardCharsets.UTF_8).strip();
    return text.length() > STDERR_TAIL ? text.substring(text.length() - STDERR_TAIL) : text;
  }
}
