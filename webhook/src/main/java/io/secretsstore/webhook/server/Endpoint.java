package io.secretsstore.webhook.server;

import java.util.Locale;

/** The two admission endpoints; the {@code endpoint} label of the request metrics. */
public enum Endpoint {
  VALIDATE,
  MUTATE;

  private final String id = name().toLowerCase(Locale.ROOT);
  private final String path = "/" + id;

  public String id() {
    return id;
  }

  public String path() {
    return path;
  }

  /** The endpoint a request path names, or null for any other path. */
  public static Endpoint ofPath(String path) {
    for (Endpoint e : values()) {
      if (e.path.equals(path)) {
        return e;
      }
    }
    return null;
  }
}
