package io.secretsstore.webhook.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.util.Locale;

/**
 * Which TLS implementation terminates the admission port: BoringSSL through netty-tcnative, or
 * the JDK's SSLEngine.
 *
 * <p>BoringSSL is the default because the handshake is what a webhook pays for on the event loop
 * each time the API server opens a connection, and BoringSSL spends about an eighth of the JDK
 * engine's CPU on it (0.15 ms against 1.2 ms for a full TLS 1.3 handshake with a P-256 key;
 * README, "Benchmarks"). Both engines get the same {@link TlsPolicy} suites and
 * protocols from the server; BoringSSL never performs a server-side renegotiation, the JDK engine
 * refuses one through {@link TlsPolicy#refuseRenegotiation()}.
 */
public final class TlsEngine {

  /** What {@code serve --tls-engine} asks for. */
  public enum Choice {
    /** BoringSSL where the bundled native library loads, else the JDK engine. */
    AUTO,
    /** BoringSSL, or no start at all. */
    OPENSSL,
    /** The JDK engine, even where BoringSSL would load. */
    JDK;

    /** The option's spelling, for messages. */
    public String option() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final System.Logger logger = System.getLogger(TlsEngine.class.getName());

  private final boolean openSsl;
  private final String description;

  private TlsEngine(boolean openSsl, String description) {
    this.openSsl = openSsl;
    this.description = description;
  }

  /** The JDK engine, with no log line: for tests and tools that name their engine. */
  public static TlsEngine jdk() {
    return new TlsEngine(false, "JDK");
  }

  /**
   * Starts loading the native library for {@code choice} on a daemon thread, so that {@link
   * #select} later finds it loaded: extracting, linking and probing BoringSSL takes a few hundred
   * milliseconds that would otherwise be added to the time to ready.
   */
  public static void loadInBackground(Choice choice) {
    if (choice != Choice.JDK) {
      Thread loader = new Thread(OpenSsl::isAvailable, "tls-engine-load");
      loader.setDaemon(true);
      loader.start();
    }
  }

  /**
   * The engine for {@code choice}, logged in one line. {@link Choice#AUTO} falls back to the JDK
   * engine where the native library cannot load (another platform, a read-only /tmp without
   * {@code io.netty.native.workdir}), saying why.
   *
   * @throws IllegalStateException for {@link Choice#OPENSSL} where the native library cannot load
   */
  public static TlsEngine select(Choice choice) {
    TlsEngine engine;
    if (choice == Choice.JDK) {
      engine = new TlsEngine(false, "JDK (--tls-engine " + choice.option() + ")");
    } else if (OpenSSLEngineOptions.isAvailable()) {
      engine = new TlsEngine(true, OpenSsl.versionString() + " through netty-tcnative");
    } else if (choice == Choice.OPENSSL) {
      throw new IllegalStateException("--tls-engine openssl: the native OpenSSL library did not"
          + " load (" + unavailability() + "); use --tls-engine auto or jdk");
    } else {
      engine = new TlsEngine(false, "JDK, because the native OpenSSL library did not load ("
          + unavailability() + "); --tls-engine jdk says this is intended");
    }
    logger.log(System.Logger.Level.INFO, "TLS engine: {0}", engine.description);
    return engine;
  }

  private static String unavailability() {
    Throwable cause = OpenSsl.unavailabilityCause();
    if (cause == null) {
      return "no reason given";
    }
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  public boolean isOpenSsl() {
    return openSsl;
  }

  /** "OpenSSL …" or "JDK …", as logged. */
  public String describe() {
    return description;
  }

  /** For the server options: which engine Vert.x builds its SSL contexts with. */
  public SSLEngineOptions options() {
    return openSsl ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /**
   * The pair as the engine's key material, straight from the parsed key and chain. For BoringSSL
   * it is converted to native form once per context rather than once per handshake, which is what
   * netty does with a key manager it cannot assume to be constant.
   */
  public KeyCertOptions keyCert(PemKeyPair pair) {
    KeyManagerFactoryWrapper factory = new KeyManagerFactoryWrapper(pair.keyManager());
    return KeyCertOptions.wrap(openSsl ? new OpenSslCachingX509KeyManagerFactory(factory) : factory);
  }
}
