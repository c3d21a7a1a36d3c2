package io.secretsstore.webhook.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as an event to wait for, instead of the JVM's shutdown. Handled this way,
 * the process keeps serving through its lame-duck period with every thread alive, and ends with
 * the exit code {@code serve} returns (0 after a clean drain) rather than the JVM's 143.
 *
 * <p>{@code sun.misc.Signal} is the JDK's supported way to do this (module {@code
 * jdk.unsupported}, kept for exactly such uses, JEP 260). Where it is unavailable ({@code -Xrs},
 * another runtime) {@link #install()} says so and the caller falls back to a shutdown hook.
 */
final class TerminationSignal {

  private final CountDownLatch received = new CountDownLatch(1);
  private final AtomicReference<String> name = new AtomicReference<>();

  private TerminationSignal() {}

  /** Handles TERM and INT from now on, or returns null when the JVM does not let it. */
  static TerminationSignal install() {
    TerminationSignal signal = new TerminationSignal();
    try {
      for (String sig : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(sig), s -> signal.receive("SIG" + s.getName()));
      }
      return signal;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      return null;
    }
  }

  private void receive(String signalName) {
    name.compareAndSet(null, signalName);
    received.countDown();
  }

  /** Blocks until the first signal and returns its name ({@code SIGTERM}). */
  String await() throws InterruptedException {
    received.await();
    return name.get();
  }
}
