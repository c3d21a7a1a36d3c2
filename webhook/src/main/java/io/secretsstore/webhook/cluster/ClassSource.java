package io.secretsstore.webhook.cluster;

/**
 * Where the class view comes from: manifest files (the embedded default, the CLI) or informers
 * on a live cluster. {@link #isSynced()} backs {@code /readyz}: a webhook that judges against an
 * unsynced view would deny pods for classes it simply has not seen yet.
 */
public interface ClassSource extends AutoCloseable {

  /** The view rules read. Always the same object; its content changes as the cluster does. */
  ClassLookup lookup();

  /** True once the view holds the cluster's classes (the informer's first list is in). */
  boolean isSynced();

  /** A one-line description for logs, such as "3 classes from test-manifests/". */
  String describe();

  @Override
  default void close() {}
}
