package dev.yuanjian.mark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The marks an installation uses, in the order they are applied: by {@link Stage}, and within a
 * stage in the order they were given. Names are unique.
 */
public final class Marks {
    private final List<Mark> ordered;

    public Marks(List<Mark> marks) {
        Set<String> names = new HashSet<>();
        for (Mark m : marks) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("two marks are named " + m.name());
            }
        }
        this.ordered = ordered(marks);
    }

    /** The marks in application order. */
    public List<Mark> all() {
        return ordered;
    }

    /** This set plus {@code more} (extensions registered by a plug-in). */
    public Marks with(List<Mark> more) {
        List<Mark> all = new ArrayList<>(ordered);
        all.addAll(more);
        return new Marks(all);
    }

    /** The names of the marks a request may switch off. */
    public List<String> optionalNames() {
        return ordered.stream().filter(Mark::optional).map(Mark::name).toList();
    }

    private static List<Mark> ordered(List<Mark> marks) {
        List<Mark> sorted = new ArrayList<>(marks);
        sorted.sort(Comparator.comparing(Mark::stage)); // stable: keeps the given order within a stage
        return List.copyOf(sorted);
    }
}
