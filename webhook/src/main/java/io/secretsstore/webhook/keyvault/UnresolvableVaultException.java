package io.secretsstore.webhook.keyvault;

/** A class names a vault whose URL cannot be built (bad name, unknown or file-based cloud). */
public final class UnresolvableVaultException extends Exception {
  public UnresolvableVaultException(String message) {
    super(message);
  }
}
