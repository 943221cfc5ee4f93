package dev.pawkit.sync.schemas.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    private final String masterJson = KeyMaterial.newMasterJson();
    private final KeyMaterial material = new KeyMaterial(KeyMaterial.masterFromJson(masterJson));

    @Test
    void aWrappedKeyUnwrapsToTheSameKeyUnderTheSameMasterKey() throws Exception {
        KeyMaterial.Wrapped wrapped = material.generateWrapped("alice");
        byte[] sealed = wrapped.key().aead().encrypt("x".getBytes(StandardCharsets.UTF_8), new byte[0]);

        // Another process with the same master key: the stored bytes are all it needs.
        UserKey unwrapped = new KeyMaterial(KeyMaterial.masterFromJson(masterJson))
                .unwrap("alice", wrapped.key().keyId(), wrapped.bytes());

        assertThat(unwrapped.aead().decrypt(sealed, new byte[0])).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWrappedKeyOpensForNoOtherUserKeyIdOrMasterKey() {
        KeyMaterial.Wrapped wrapped = material.generateWrapped("alice");
        String keyId = wrapped.key().keyId();

        assertThatThrownBy(() -> material.unwrap("bob", keyId, wrapped.bytes())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> material.unwrap("alice", "another-id", wrapped.bytes()))
                .isInstanceOf(IllegalStateException.class);
        KeyMaterial otherMaster = new KeyMaterial(KeyMaterial.masterFromJson(KeyMaterial.newMasterJson()));
        assertThatThrownBy(() -> otherMaster.unwrap("alice", keyId, wrapped.bytes()))
                .isInstanceOf(IllegalStateException.class);
    }
}
