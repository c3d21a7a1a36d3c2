package io.secretsstore.webhook.report;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a check result in one format. Output is UTF-8; the stream is flushed, not closed. */
public interface Report {

  void write(CheckResult result, OutputStream out) throws IOException;
}
