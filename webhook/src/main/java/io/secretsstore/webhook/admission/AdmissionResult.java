package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.rules.Finding;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AdmissionReview to send back, with what the server counts: the outcome and every finding
 * (audit ones included, which the review itself does not show to the user).
 */
public record AdmissionResult(ObjectNode review, Outcome outcome, List<Finding> findings) {}
