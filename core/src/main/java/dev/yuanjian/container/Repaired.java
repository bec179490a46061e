package dev.yuanjian.container;

import java.util.List;

/**
 * A file a container can rewrite, made from one that readers open only by working around damage.
 *
 * @param asset   the file to mark: the input itself when it was sound
 * @param notices what was repaired and what that costs (empty when nothing was)
 */
public record Repaired(Asset asset, List<Notice> notices) {
    public Repaired {
        java.util.Objects.requireNonNull(asset, "asset");
        notices = List.copyOf(notices);
    }

    /** {@code asset} as it is: nothing to repair. */
    public static Repaired sound(Asset asset) {
        return new Repaired(asset, List.of());
    }
}
