package dev.yuanjian.privacy.vault;

import dev.yuanjian.privacy.EntityType;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** The normal forms a value to forget may have ({@link EntityType#normalForm}). */
final class Subjects {
    private Subjects() {
    }

    /** The normal forms {@code value} has as {@code type}, or as any type when none is given. */
    static Set<String> forms(String value, Optional<EntityType> type) {
        Set<String> forms = new LinkedHashSet<>();
        if (type.isPresent()) {
            forms.add(type.get().normalForm(value));
        } else {
            for (EntityType t : EntityType.values()) {
                forms.add(t.normalForm(value));
            }
        }
        return forms;
    }
}
