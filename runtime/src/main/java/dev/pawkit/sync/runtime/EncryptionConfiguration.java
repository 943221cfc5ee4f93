package dev.pawkit.sync.runtime;

import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import dev.pawkit.sync.schemas.sealing.UserKeys;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Users' data keys and the serdes that seal personal content under them (docs/erasure.md). */
@Configuration(proxyBeanMethods = false)
public class EncryptionConfiguration {

    /** @param topicsReady the key topic exists before its reader starts */
    @Bean(destroyMethod = "close")
    KafkaUserKeys userKeys(PawkitProperties properties, KafkaClientSettings kafka, Admin topicsReady) {
        return new KafkaUserKeys(kafka, new KeyMaterial(MasterKeyLoader.load(properties.encryption(),
                properties.dataDir())));
    }

    @Bean
    PawkitSerdes pawkitSerdes(UserKeys userKeys) {
        return PawkitSerdes.sealedWith(userKeys);
    }
}
