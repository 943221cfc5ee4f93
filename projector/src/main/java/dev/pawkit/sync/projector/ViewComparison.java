package dev.pawkit.sync.projector;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Two snapshots of one view, entry by entry: how many entries were compared and which differ. */
public record ViewComparison(String store, long compared, List<String> differing) {

    public ViewComparison {
        differing = List.copyOf(differing);
    }

    /** Every key of either side is compared; a key on one side only differs. */
    static ViewComparison of(String store, Map<String, Long> live, Map<String, Long> rebuilt) {
        Set<String> keys = new HashSet<>(live.keySet());
        keys.addAll(rebuilt.keySet());
        List<String> differing = new ArrayList<>();
        for (String key : keys) {
            if (!Objects.equals(live.get(key), rebuilt.get(key))) {
                differing.add(key);
            }
        }
        differing.sort(null);
        return new ViewComparison(store, keys.size(), differing);
    }

    /** This comparison with the keys in {@code recheck} compared again on newer snapshots. */
    ViewComparison recheck(Map<String, Long> live, Map<String, Long> rebuilt) {
        List<String> still = differing.stream().filter(key -> !Objects.equals(live.get(key), rebuilt.get(key))).toList();
        return new ViewComparison(store, compared, still);
    }

    public boolean identical() {
        return differing.isEmpty();
    }
}
