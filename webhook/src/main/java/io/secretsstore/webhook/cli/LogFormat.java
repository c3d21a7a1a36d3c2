package io.secretsstore.webhook.cli;

/** {@code --log-format}: a line a person reads, or a JSON object a log pipeline parses. */
public enum LogFormat {
  TEXT,
  JSON
}
