package io.secretsstore.webhook.rules.custom;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What one expression that reads only {@code classes} yielded, per snapshot of a namespace's
 * classes ({@link ClassesVariable.Snapshot}): CEL gives the same answer for the same input, so
 * such an expression runs once per change of the namespace's classes, not once per review. The
 * results live with the compiled rule, so a policy reload drops them, and weak keys let the
 * snapshot of a namespace whose classes changed go.
 */
final class ClassesResults {

  private final Map<ClassesVariable.Snapshot, Object> results =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** What the expression yielded for {@code classes}, or null when not known yet. */
  Object get(ClassesVariable.Snapshot classes) {
    return results.get(classes);
  }

  void put(ClassesVariable.Snapshot classes, Object result) {
    results.put(classes, result);
  }
}
