package io.secretsstore.webhook.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The serving key and chain of one {@link PemKeyPair}, handed to the TLS engine as they are.
 *
 * <p>Vert.x's {@code PemKeyCertOptions} would store the key in a PKCS#12 keystore under a password
 * and read it back (PBKDF2 with 10,000 iterations each way, about 0.45 s at start and again at
 * every rotation) only to give the engine the same two objects this class holds.
 *
 * <p>It answers for its key's algorithm only ({@code RSA} or {@code EC}): both engines ask per key
 * type, and a TLS 1.2 suite is chosen by whether an alias comes back ({@code ECDHE_ECDSA} needs
 * an EC key, {@code ECDHE_RSA} an RSA one).
 */
final class PemKeyManager extends X509ExtendedKeyManager {

  static final String ALIAS = "serving";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  PemKeyManager(PrivateKey key, X509Certificate[] chain) {
    this.key = key;
    this.chain = chain.clone();
  }

  private String aliasFor(String keyType) {
    return key.getAlgorithm().equals(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliasFor(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  /** A server identity only: this process never presents a client certificate with it. */
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
