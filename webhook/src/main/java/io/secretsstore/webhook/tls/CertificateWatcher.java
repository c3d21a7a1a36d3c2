package io.secretsstore.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reloads the serving certificate when its files change, without a restart.
 *
 * <p>The kubelet updates a Secret volume by writing a new directory and swapping the {@code ..data}
 * symlink, so file mtimes say little: each check reads both files (a bounded read, off the event
 * loop) and compares their content with the pair in force. A changed pair is parsed and checked
 * before it is installed; a broken, half-rotated, expired, weak or oversized pair is refused with
 * a logged reason, counted by the target, and the previous certificate keeps serving. The next
 * check tries again; the same refused content is reported once.
 */
public final class CertificateWatcher implements AutoCloseable {

  /** Where a checked pair goes, and who hears about a rejected one. */
  public interface Target {
    Future<Void> install(PemKeyPair pair);

    void rejected(CertificateRefusal reason, String message);
  }

  private static final System.Logger logger = System.getLogger(CertificateWatcher.class.getName());

  private final Vertx vertx;
  private final Path certFile;
  private final Path keyFile;
  private final Target target;
  private volatile PemKeyPair current;
  private byte[][] lastRejected; // the content already reported, so a bad pair is logged once
  private String lastReadFailure; // likewise for a file that cannot be read (or is too large)
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
    // Reading (bounded, see PemFiles), parsing and the signature check are short blocking work,
    // but they are not the event loop's.
    return vertx
        .executeBlocking(this::readChanged, false)
        .transform(read -> {
          if (read.failed()) {
            InvalidKeyPairException e = (InvalidKeyPairException) read.cause();
            if (!e.getMessage().equals(lastReadFailure)) { // a file that stays unreadable: once
              reject(e.reason(), unusable(e.getMessage()), null);
              lastReadFailure = e.getMessage();
            }
            return Future.succeededFuture(false);
          }
          lastReadFailure = null;
          Candidate candidate = read.result();
          if (candidate == null) {
            return Future.succeededFuture(false);
          }
          if (candidate.refusal() != null) {
            reject(candidate.refusal().reason(), unusable(candidate.refusal().getMessage()),
                candidate.files());
            return Future.succeededFuture(false);
          }
          return install(candidate);
        })
        .andThen(done -> finished());
  }

  /** The pair on disk and its parse result, or null when it is the one in force or refused. */
  private record Candidate(byte[][] files, PemKeyPair pair, InvalidKeyPairException refusal) {}

  private Candidate readChanged() throws InvalidKeyPairException {
    byte[] certPem = PemFiles.read(certFile);
    byte[] keyPem = PemFiles.read(keyFile);
    if (current.sameContent(certPem, keyPem) || alreadyRejected(certPem, keyPem)) {
      return null;
    }
    byte[][] files = {certPem, keyPem};
    try {
      return new Candidate(files, PemKeyPair.parse(certPem, keyPem), null);
    } catch (InvalidKeyPairException e) {
      return new Candidate(files, null, e);
    }
  }

  private synchronized void finished() {
    checking = false;
  }

  private Future<Boolean> install(Candidate candidate) {
    PemKeyPair pair = candidate.pair();
    return target.install(pair).transform(installed -> {
      if (installed.failed()) {
        reject(CertificateRefusal.ENGINE,
            unusable("the TLS engine refused it: " + installed.cause().getMessage()),
            candidate.files());
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

  private void reject(CertificateRefusal reason, String message, byte[][] files) {
    synchronized (this) {
      lastRejected = files;
    }
    // The server goes on with the pair it has: a warning to act on, not a fault of the webhook.
    logger.log(System.Logger.Level.WARNING, message);
    target.rejected(reason, message);
  }

  @Override
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
