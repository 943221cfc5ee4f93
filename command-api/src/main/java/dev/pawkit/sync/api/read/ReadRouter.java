package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.InstanceForwarder;
import dev.pawkit.sync.projector.ProjectorReads;
import dev.pawkit.sync.runtime.ProjectorRunner;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Where a card read is answered: here, from this instance's projector stores, or by the instance
 * whose projector task holds the user's partition ({@link InstanceForwarder}).
 */
@Component
public class ReadRouter {

    private final ProjectorRunner projector;
    private final InstanceForwarder forwarder;

    ReadRouter(ProjectorRunner projector, InstanceForwarder forwarder) {
        this.projector = projector;
        this.forwarder = forwarder;
    }

    ProjectorReads reads() {
        return projector.reads();
    }

    /** The owner's response when the user's card views are on another instance; empty when they are here. */
    Optional<ResponseEntity<byte[]>> forwardIfRemote(String userId, HttpServletRequest request) {
        ProjectorReads.Owner owner = projector.reads().ownerOf(userId);
        if (owner.local()) {
            return Optional.empty();
        }
        return Optional.of(forwarder.forward(owner.host(), request, ProjectorReads.NotQueryableException::new));
    }
}
