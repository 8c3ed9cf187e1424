package dev.quarry.workers.config;

import dev.quarry.activities.sandbox.SandboxSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;

/**
 * Worker-side settings, from application.yml and overridable by environment variables
 * (QUARRY_HOME, QUARRY_TEMPORAL_ADDRESS, QUARRY_SANDBOX_IMAGE, ...). Secrets such as API keys are
 * read from the environment by name at call time and never stored here.
 */
@ConfigurationProperties("quarry")
public class QuarrySettings {
  /** State of this machine's Quarry: artifact store, records, logs, pids, models, datasets. */
  private String home = ".quarry";
  /** A worker's Prometheus endpoint port; 0 turns it off. */
  private int metricsPort = 9464;

  private Temporal temporal = new Temporal();
  private Sandbox sandbox = new Sandbox();
  private Llm llm = new Llm();

  /** The GGUF the embedded server loads. */
  public Path modelPath() {
    String model = llm.getModel();
    return model == null || model.isBlank()
        ? homePath().resolve("models").resolve("SmolLM2-135M-Instruct.Q4_1.gguf")
        : Path.of(model).toAbsolutePath().normalize();
  }

  public Path homePath() {
    return Path.of(home).toAbsolutePath().normalize();
  }

  public String getHome() {
    return home;
  }

  public void setHome(String home) {
    this.home = home;
  }

  public int getMetricsPort() {
    return metricsPort;
  }

  public void setMetricsPort(int metricsPort) {
    this.metricsPort = metricsPort;
  }

  public Temporal getTemporal() {
    return temporal;
  }

  public void setTemporal(Temporal temporal) {
    this.temporal = temporal;
  }

  public Sandbox getSandbox() {
    return sandbox;
  }

  public void setSandbox(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  public Llm getLlm() {
    return llm;
  }

  public void setLlm(Llm llm) {
    this.llm = llm;
  }

  /** Where the Temporal frontend is and which namespace Quarry uses. */
  @ConfigurationProperties("temporal")
  public static class Temporal {
    private String address = "127.0.0.1:7233";
    private String namespace = "default";
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
     * How workers and the CLI secure their Temporal connection, as raw settings; checked and
     * applied by {@code dev.quarry.workers.temporal.TemporalClients}. Secrets are never values
     * here: {@code apiKeyEnv} and {@code payloadKeysEnv} name the environment variables that hold
     * them, {@code payloadKeysFile} the file.
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

  /** The Docker sandbox: images and how many executions a worker runs at once. */
  @ConfigurationProperties("sandbox")
  public static class Sandbox {
    private String image = SandboxSettings.DEFAULT_IMAGE;
    private String cppImage = SandboxSettings.DEFAULT_CPP_IMAGE;
    /** Concurrent sandbox batches (containers) per worker. */
    private int slots = 2;
    /** Executions run in parallel inside one container. */
    private int parallelism = 2;
    /**
     * {@code docker} (the real sandbox) or {@code scripted}: benchmarks of the orchestration only
     * (scripts/scale-run.sh), where no program runs and each (program, input) gets an output
     * derived from its hash.
     */
    private String mode = "docker";
    /** runc (the engine's default) or runsc: gVisor, registered by scripts/ensure-gvisor.sh. */
    private String runtime = SandboxSettings.RUNC;

    public String getRuntime() {
      return runtime;
    }

    public void setRuntime(String runtime) {
      this.runtime = runtime;
    }

    public String getMode() {
      return mode;
    }

    public void setMode(String mode) {
      this.mode = mode;
    }

    public String getImage() {
      return image;
    }

    public void setImage(String image) {
      this.image = image;
    }

    public String getCppImage() {
      return cppImage;
    }

    public void setCppImage(String cppImage) {
      this.cppImage = cppImage;
    }

    /** The executor's settings: these images and parallelism on the default limits. */
    public SandboxSettings toSandboxSettings() {
      return SandboxSettings.defaults()
          .withImage(image)
          .withCppImage(cppImage)
          .withParallelism(parallelism)
          .withRuntime(runtime);
    }

    public int getSlots() {
      return slots;
    }

    public void setSlots(int slots) {
      this.slots = slots;
    }

    public int getParallelism() {
      return parallelism;
    }

    public void setParallelism(int parallelism) {
      this.parallelism = parallelism;
    }
  }

  /** The embedded LLM server that `quarry dev up` starts, and LLM call concurrency. */
  @ConfigurationProperties("llm")
  public static class Llm {
    /** Blank: the default model that scripts/ensure-model.sh puts under the Quarry home. */
    private String model = "";
    private int port = 8088;
    /** Concurrent LLM activities per worker. */
    private int slots = 2;
    /** LLM activities per second across all workers of the llm queue; 0: no limit. */
    private double requestsPerSecond = 0;
    private int timeoutSeconds = 600;

    public String getModel() {
      return model;
    }

    public void setModel(String model) {
      this.model = model;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public int getSlots() {
      return slots;
    }

    public void setSlots(int slots) {
      this.slots = slots;
    }

    public double getRequestsPerSecond() {
      return requestsPerSecond;
    }

    public void setRequestsPerSecond(double requestsPerSecond) {
      this.requestsPerSecond = requestsPerSecond;
    }

    public int getTimeoutSeconds() {
      return timeoutSeconds;
    }

    public void setTimeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
    }
  }
}
