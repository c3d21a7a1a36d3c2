package io.secretsstore.webhook.mutation;

/** The pod annotations that opt a pod in to CSI volume injection. */
public final class InjectionAnnotations {
  private static final String PREFIX = "secrets-store-webhook.io/";

  /** The SecretProviderClass to mount. Its presence is the opt-in. */
  public static final String SECRET_PROVIDER_CLASS = PREFIX + "secret-provider-class";

  /** Where containers see the files; default {@value #DEFAULT_MOUNT_PATH}. */
  public static final String MOUNT_PATH = PREFIX + "mount-path";

  /** Comma-separated container names to mount into; default every container and init container. */
  public static final String CONTAINERS = PREFIX + "containers";

  public static final String DEFAULT_MOUNT_PATH = "/mnt/secrets-store";

  /** Name of the injected volume unless the pod already has one for the class. */
  public static final String DEFAULT_VOLUME_NAME = "secrets-store-inline";

  private InjectionAnnotations() {}
}
