package dev.quarry.llm.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Every JDK HTTP server Quarry runs (the embedded and scripted LLM servers, the metrics endpoint,
 * the codec server) is made here, so TCP_NODELAY is on before the first one exists, whichever that
 * is: a server made with HttpServer.create first would fix the setting off for the whole process.
 */
public final class HttpServers {
  public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server flushes the response headers and the body as separate segments. With Nagle's
    // algorithm on, the body then waits for the ACK of the headers, which the client delays (40 ms
    // on Linux): every response on a kept-alive connection took ~44 ms instead of ~1 ms.
    // TCP_NODELAY
    // can only be switched on by this property, read once when the JDK server is first used in the
    // process; an explicit setting (-Dsun.net.httpserver.nodelay=false) is left alone.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private HttpServers() {}

  public static HttpServer bind(String host, int port, int backlog) throws IOException {
    return HttpServer.create(new InetSocketAddress(host, port), backlog);
  }
}
