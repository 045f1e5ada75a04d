package io.certapi.ca;

import io.certapi.config.CertapiConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Supplies the {@link KeyVault} that certapi.ca.keys.protection chooses. */
public class KeyVaultProducer {

    /** The configured vault. */
    @Produces
    @Singleton
    public KeyVault vault(CertapiConfig config) {
        return KeyVault.of(config);
    }
}
