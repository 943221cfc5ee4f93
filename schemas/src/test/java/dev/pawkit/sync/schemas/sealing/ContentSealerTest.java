package dev.pawkit.sync.schemas.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentSealerTest {

    private final InMemoryUserKeys keys = new InMemoryUserKeys();
    private final ContentSealer sealer = new ContentSealer(keys);

    @Test
    void sealedContentOpensForItsOwnerAndHoldsNoPlaintext() {
        byte[] plaintext = "marker-alice-1234".getBytes(StandardCharsets.UTF_8);
        Sealed sealed = sealer.seal("alice", plaintext);

        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("marker-alice");
        assertThat(sealer.open("alice", sealed)).hasValueSatisfying(opened -> assertThat(opened).isEqualTo(plaintext));
        assertThat(sealer.seal("alice", plaintext).keyId()).as("one key per user").isEqualTo(sealed.keyId());
        assertThat(sealer.seal("alice", plaintext)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void destroyingTheKeysMakesEverythingSealedUnderThemUnreadableAndANewWriteStartsAfresh() {
        Sealed alices = sealer.seal("alice", "alice's".getBytes(StandardCharsets.UTF_8));
        Sealed bobs = sealer.seal("bob", "bob's".getBytes(StandardCharsets.UTF_8));

        keys.destroy("alice");
        keys.destroy("alice");

        assertThat(sealer.open("alice", alices)).isEmpty();
        assertThat(sealer.open("bob", bobs)).isPresent();
        Sealed after = sealer.seal("alice", "new".getBytes(StandardCharsets.UTF_8));
        assertThat(after.keyId()).isNotEqualTo(alices.keyId());
        assertThat(sealer.open("alice", after)).isPresent();
        assertThat(sealer.open("alice", alices)).as("the old key stays gone").isEmpty();
    }

    @Test
    void sealedBytesMovedToAnotherUserOrTamperedWithDoNotOpen() {
        Sealed alices = sealer.seal("alice", "alice's".getBytes(StandardCharsets.UTF_8));
        sealer.seal("bob", "bob's".getBytes(StandardCharsets.UTF_8));

        // Bob's record naming Alice's key finds no key of Bob's by that id.
        assertThat(sealer.open("bob", alices)).isEmpty();
        byte[] tampered = alices.ciphertext().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> sealer.open("alice", new Sealed(alices.keyId(), tampered)))
                .hasMessageContaining("tampered");
    }
}
