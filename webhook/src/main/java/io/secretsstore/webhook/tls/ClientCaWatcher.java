package io.secretsstore.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;

/**
 * Reloads the client CA of {@code serve --client-ca} when its file changes, so that rotating the
 * CA that signs the API server's client certificate (a ConfigMap or Secret volume, swapped by the
 * kubelet through its {@code ..data} symlink) needs no restart. As {@link CertificateWatcher}
 * does for the serving pair, each check reads the file (bounded, off the event loop) and compares
 * its bytes with the bundle in force. A changed bundle that cannot be read, is too large, holds
 * no certificate, or holds none valid now is refused: the old CA stays in force (refusing every
 * client would fail every review), the refusal is logged once per content and counted by the
 * target. New handshakes use a new CA; open connections keep the session they authenticated.
 */
public final class ClientCaWatcher implements AutoCloseable {

  /** Where a checked CA goes, and who counts a refused one. */
  public interface Target {
    Future<Void> trustClientCa(ClientCertificateAuthority ca);

    void clientCaRefused(CertificateRefusal reason, String message);
  }

  private static final System.Logger logger = System.getLogger(ClientCaWatcher.class.getName());

  private final Vertx vertx;
  private final Path file;
  private final Target target;
  private volatile ClientCertificateAuthority current;
  private byte[] lastRefused; // content (or, for a read failure, its message) already reported
  private boolean checking;
  private long timerId = -1;

  public ClientCaWatcher(Vertx vertx, Path file, ClientCertificateAuthority current, Target target) {
    this.vertx = vertx;
    this.file = file;
    this.current = current;
    this.target = target;
  }

  /** Checks every {@code interval}, starting one interval from now. */
  public ClientCaWatcher start(Duration interval) {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> check());
    return this;
  }

  public ClientCertificateAuthority current() {
    return current;
  }

  /**
   * One check: reads the file and installs the bundle if it changed and is usable. The future
   * says whether a new CA is in force; it never fails.
   */
  public synchronized Future<Boolean> check() {
    if (checking) {
      return Future.succeededFuture(false);
    }
    checking = true;
    return vertx
        .executeBlocking(this::readChanged, false)
        .compose(candidate -> {
          if (candidate == null) {
            return Future.succeededFuture(false);
          }
          if (candidate.refusal() != null) {
            refuse(candidate.refusal(), candidate.content());
            return Future.succeededFuture(false);
          }
          return install(candidate);
        })
        .andThen(done -> finished());
  }

  /**
   * What is on disk, parsed or refused; {@code content} is the file's bytes, or for a file that
   * cannot be read the reason, so that each is reported once.
   */
  private record Candidate(
      byte[] content, ClientCertificateAuthority ca, InvalidKeyPairException refusal) {}

  /** The bundle on disk, or null when it is the one in force or was refused already. */
  private Candidate readChanged() {
    byte[] pem;
    try {
      pem = PemFiles.read(file);
    } catch (InvalidKeyPairException e) {
      byte[] reason = e.getMessage().getBytes(StandardCharsets.UTF_8);
      return alreadyRefused(reason) ? null : new Candidate(reason, null, e);
    }
    if (Arrays.equals(current.pem(), pem) || alreadyRefused(pem)) {
      return null;
    }
    try {
      return new Candidate(pem, validNow(ClientCertificateAuthority.parse(file, pem)), null);
    } catch (InvalidKeyPairException e) {
      return new Candidate(pem, null, e);
    }
  }

  /** A bundle none of whose certificates is valid now would let no client in. */
  private static ClientCertificateAuthority validNow(ClientCertificateAuthority ca)
      throws InvalidKeyPairException {
    Date now = new Date();
    if (ca.certificates().stream().anyMatch(c -> !now.before(c.getNotBefore())
        && !now.after(c.getNotAfter()))) {
      return ca;
    }
    boolean expired = ca.certificates().stream().anyMatch(c -> now.after(c.getNotAfter()));
    throw new InvalidKeyPairException(
        expired ? CertificateRefusal.EXPIRED : CertificateRefusal.NOT_YET_VALID,
        ca.file() + " holds no certificate valid now (" + (expired ? "expired" : "not yet valid")
            + ": " + ca.describe() + "); expected the CA that signs the API server's client"
            + " certificate");
  }

  private Future<Boolean> install(Candidate candidate) {
    ClientCertificateAuthority ca = candidate.ca();
    return target.trustClientCa(ca).transform(installed -> {
      if (installed.failed()) {
        refuse(new InvalidKeyPairException(CertificateRefusal.ENGINE,
            "the TLS engine refused it: " + installed.cause().getMessage()), candidate.content());
        return Future.succeededFuture(false);
      }
      logger.log(System.Logger.Level.INFO,
          "Reloaded the client CA from {0}: client certificates signed by {1} are accepted",
          file, ca.describe());
      current = ca;
      synchronized (this) {
        lastRefused = null;
      }
      return Future.succeededFuture(true);
    });
  }

  private synchronized boolean alreadyRefused(byte[] content) {
    return lastRefused != null && Arrays.equals(lastRefused, content);
  }

  private synchronized void finished() {
    checking = false;
  }

  private void refuse(InvalidKeyPairException why, byte[] content) {
    synchronized (this) {
      lastRefused = content;
    }
    String message = "rotated client CA in " + file + " is not usable, still accepting clients"
        + " signed by " + current.describe() + ": " + why.getMessage();
    // The server goes on with the CA it has: a warning to act on, not a fault of the webhook.
    logger.log(System.Logger.Level.WARNING, message);
    target.clientCaRefused(why.reason(), message);
  }

  @Override
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
