package dev.quarry.workers.temporal;

import dev.quarry.workers.config.TemporalSettings;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns a failed first call to the Temporal frontend into a message that says what to fix: a server
 * that is not there, a TLS handshake the server or this client refused, or a plain connection to a
 * server that only speaks TLS.
 */
final class ConnectionFailure {
  private ConnectionFailure() {}

  static String explain(String address, TemporalSettings.Security security, Throwable error) {
    boolean tls =
        TemporalTls.wanted(security, TemporalClients.apiKey(security, System::getenv).isPresent());
    String detail = rootMessage(error);
    SSLException handshake = find(error, SSLException.class);
    if (handshake != null || tls && mentionsTls(detail)) {
      String why =
          handshake != null && handshake.getMessage() != null ? handshake.getMessage() : detail;
      String head =
          "TLS handshake with the Temporal server at " + address + " failed (" + why + "): ";
      CertificateException untrusted = find(error, CertificateException.class);
      if (untrusted != null) {
        // This side refused: the server's certificate does not chain to the trusted CA or names
        // another host.
        return head
            + "this client does not trust the server's certificate ("
            + untrusted.getMessage()
            + "): set"
            + " quarry.temporal.security.server-ca (QUARRY_TEMPORAL_TLS_SERVER_CA) to the CA that signed it, and"
            + " server-name (QUARRY_TEMPORAL_TLS_SERVER_NAME) if the address is not a name in the certificate."
            + " See docs/security.md";
      }
      if (!why.toLowerCase(Locale.ROOT).contains("certificate")) {
        return head
            + "the server at this address may not speak TLS (a plain server, such as `quarry dev up`'s,"
            + " needs quarry.temporal.security unset), or the handshake failed on the network. See docs/security.md";
      }
      // The server sent a certificate alert: it wants a client certificate it trusts.
      return head
          + (security.getClientCert().isBlank()
              ? "the server requires a client certificate (mutual TLS): set quarry.temporal.security.client-cert"
                  + " and client-key (QUARRY_TEMPORAL_TLS_CLIENT_CERT, QUARRY_TEMPORAL_TLS_CLIENT_KEY)"
              : "the server refused the client certificate "
                  + security.getClientCert()
                  + ": it must be signed by a CA the server trusts for clients (its clientCaFiles)")
          + ". See docs/security.md";
    }
    return "cannot reach the Temporal server at "
        + address
        + ": start the local stack with `./quarry dev up`, or set QUARRY_TEMPORAL_ADDRESS"
        + (tls
            ? ""
            : "; if that server only accepts TLS, set QUARRY_TEMPORAL_TLS=true or the certificate settings"
                + " in docs/security.md")
        + " (cause: "
        + error.getMessage()
        + ")";
  }

  private static boolean mentionsTls(String message) {
    String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return lower.contains("ssl")
        || lower.contains("tls")
        || lower.contains("certificate")
        || lower.contains("handshake");
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable cause = error;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }
}
