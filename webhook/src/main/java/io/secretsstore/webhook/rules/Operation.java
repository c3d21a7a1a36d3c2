package io.secretsstore.webhook.rules;

/** The admission operation, as the API server names it. */
public enum Operation {
  CREATE,
  UPDATE,
  DELETE,
  CONNECT;

  public static Operation parse(String s) {
    try {
      return valueOf(s);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "request.operation is \"" + s + "\": expected CREATE, UPDATE, DELETE or CONNECT");
    }
  }
}
