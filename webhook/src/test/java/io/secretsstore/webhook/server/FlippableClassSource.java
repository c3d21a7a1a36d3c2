package io.secretsstore.webhook.server;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassSource;
import java.util.concurrent.atomic.AtomicBoolean;

/** A class source whose sync state a test sets, standing in for an informer's first list. */
final class FlippableClassSource implements ClassSource {

  private final ClassSource delegate;
  final AtomicBoolean synced = new AtomicBoolean(true);

  FlippableClassSource(ClassSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public ClassLookup lookup() {
    return delegate.lookup();
  }

  @Override
  public boolean isSynced() {
    return synced.get();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
