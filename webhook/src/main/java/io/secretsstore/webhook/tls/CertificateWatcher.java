package io.secretsstore.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reloads the serving certificate when its files change, without a restart.
 *
 * <p>The kubelet updates a Secret volume by writing a new directory and swapping the {@code ..data}
 * symlink, so file mtimes say little: each check reads both files (asynchronously, off the event
 * loop) and compares their content with the pair in force. A changed pair is parsed and checked
 * before it is installed; a broken or half-rotated pair is rejected with a logged reason and the
 * previous certificate keeps serving. The next check tries again.
 */
public final class CertificateWatcher implements AutoCloseable {

  /** Where a checked pair goes, and who hears about a rejected one. */
  public interface Target {
    Future<Void> install(PemKeyPair pair);

    void rejected(String reason);
  }

  private static final System.Logger logger = System.getLogger(CertificateWatcher.class.getName());

  private final Vertx vertx;
  private final Path certFile;
  private final Path keyFile;
  private final Target target;
  private volatile PemKeyPair current;
  private byte[][] lastRejected; // the content already reported, so a bad pair is logged once
  private boolean checking;
  private long timerId = -1;

  public CertificateWatcher(
      Vertx vertx, Path certFile, Path keyFile, PemKeyPair current, Target target) {
    this.vertx = vertx;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.current = current;
    this.target = target;
  }

  /** Checks every {@code interval}, starting one interval from now. */
  public CertificateWatcher start(Duration interval) {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> check());
    return this;
  }

  public PemKeyPair current() {
    return current;
  }

  /**
   * One check: reads both files and installs them if they changed and are valid. The future says
   * whether a new pair was installed; it fails only when installing a valid pair failed.
   */
  public synchronized Future<Boolean> check() {
    if (checking) {
      return Future.succeededFuture(false); // the previous check is still reading
    }
    checking = true;
    FileSystem fs = vertx.fileSystem();
    Future<Buffer> cert = fs.readFile(certFile.toString());
    Future<Buffer> key = fs.readFile(keyFile.toString());
    return Future.all(cert, key)
        .compose(
            files -> reload(cert.result().getBytes(), key.result().getBytes()),
            failure -> {
              reject("cannot read " + certFile + " / " + keyFile + ": " + failure.getMessage(),
                  null, null);
              return Future.succeededFuture(false);
            })
        .andThen(done -> finished());
  }

  private synchronized void finished() {
    checking = false;
  }

  private Future<Boolean> reload(byte[] certPem, byte[] keyPem) {
    if (current.sameContent(certPem, keyPem) || alreadyRejected(certPem, keyPem)) {
      return Future.succeededFuture(false);
    }
    // Parsing and the signature check are short CPU work, but they are not the event loop's.
    return vertx
        .executeBlocking(() -> PemKeyPair.parse(certPem, keyPem), false)
        .transform(parsed -> {
          if (parsed.failed()) {
            reject(unusable(parsed.cause().getMessage()), certPem, keyPem);
            return Future.succeededFuture(false);
          }
          PemKeyPair pair = parsed.result();
          return target.install(pair).transform(installed -> {
            if (installed.failed()) {
              reject(unusable("the TLS engine refused it: " + installed.cause().getMessage()),
                  certPem, keyPem);
              return Future.succeededFuture(false);
            }
            logger.log(System.Logger.Level.INFO,
                "Reloaded the serving certificate from {0}: {1}", certFile, pair.describe());
            current = pair;
            synchronized (this) {
              lastRejected = null;
            }
            return Future.succeededFuture(true);
          });
        });
  }

  private String unusable(String why) {
    return "rotated certificate in " + certFile + " / " + keyFile + " is not usable, still serving "
        + current.describe() + ": " + why;
  }

  private synchronized boolean alreadyRejected(byte[] certPem, byte[] keyPem) {
    return lastRejected != null
        && Arrays.equals(lastRejected[0], certPem)
        && Arrays.equals(lastRejected[1], keyPem);
  }

  private void reject(String reason, byte[] certPem, byte[] keyPem) {
    synchronized (this) {
      lastRejected = certPem == null ? null : new byte[][] {certPem, keyPem};
    }
    // The server goes on with the pair it has: a warning to act on, not a fault of the webhook.
    logger.log(System.Logger.Level.WARNING, reason);
    target.rejected(reason);
  }

  @Override
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
