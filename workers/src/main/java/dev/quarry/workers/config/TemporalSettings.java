package dev.quarry.workers.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Where the Temporal frontend is and which namespace Quarry uses (QUARRY_TEMPORAL_*). */
@ConfigurationProperties("quarry.temporal")
public class TemporalSettings {
  /** host:port of the Temporal frontend. */
  @NotBlank private String address = "127.0.0.1:7233";

  @NotBlank private String namespace = "default";

  /** The web UI's port on the frontend's host (links printed by the CLI). */
  @Min(1)
  @Max(65535)
  private int uiPort = 8233;

  /** mTLS, API key and payload encryption (docs/security.md); all off by default. */
  private Security security = new Security();

  public Security getSecurity() {
    return security;
  }

  public void setSecurity(Security security) {
    this.security = security;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public int getUiPort() {
    return uiPort;
  }

  public void setUiPort(int uiPort) {
    this.uiPort = uiPort;
  }

  public String uiAddress() {
    String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
    return "http://" + host + ":" + uiPort;
  }

  /**
   * How workers and the CLI secure their Temporal connection, as raw settings; checked and applied
   * by {@code dev.quarry.workers.temporal.TemporalClients}. Secrets are never values here: {@code
   * apiKeyEnv} and {@code payloadKeysEnv} name the environment variables that hold them, {@code
   * payloadKeysFile} the file.
   */
  @ConfigurationProperties("security")
  public static class Security {
    private boolean tls;
    private String serverCa = "";
    private String clientCert = "";
    private String clientKey = "";
    private String serverName = "";
    private String apiKeyEnv = "QUARRY_TEMPORAL_API_KEY";
    private String payloadKeysFile = "";
    private String payloadKeysEnv = "QUARRY_PAYLOAD_KEYS";

    public boolean isTls() {
      return tls;
    }

    public void setTls(boolean tls) {
      this.tls = tls;
    }

    public String getServerCa() {
      return serverCa;
    }

    public void setServerCa(String serverCa) {
      this.serverCa = serverCa;
    }

    public String getClientCert() {
      return clientCert;
    }

    public void setClientCert(String clientCert) {
      this.clientCert = clientCert;
    }

    public String getClientKey() {
      return clientKey;
    }

    public void setClientKey(String clientKey) {
      this.clientKey = clientKey;
    }

    public String getServerName() {
      return serverName;
    }

    public void setServerName(String serverName) {
      this.serverName = serverName;
    }

    public String getApiKeyEnv() {
      return apiKeyEnv;
    }

    public void setApiKeyEnv(String apiKeyEnv) {
      this.apiKeyEnv = apiKeyEnv;
    }

    public String getPayloadKeysFile() {
      return payloadKeysFile;
    }

    public void setPayloadKeysFile(String payloadKeysFile) {
      this.payloadKeysFile = payloadKeysFile;
    }

    public String getPayloadKeysEnv() {
      return payloadKeysEnv;
    }

    public void setPayloadKeysEnv(String payloadKeysEnv) {
      this.payloadKeysEnv = payloadKeysEnv;
    }
  }
}
