package io.secretsstore.webhook.report;

import io.secretsstore.webhook.rules.Finding;

/** A finding and the line of its field in the file it came from. */
public record LocatedFinding(Finding finding, int line) {}
