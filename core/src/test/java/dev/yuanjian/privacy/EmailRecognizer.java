package dev.yuanjian.privacy;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-only recognizer of e-mail addresses, so the operators, the vault and the interfaces can be
 * tested before the real recognizers land. Public: the CLI and server tests use it too.
 */
public final class EmailRecognizer implements Recognizer {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})+");

    @Override
    public String name() {
        return "test-email";
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.EMAIL_ADDRESS);
    }

    @Override
    public void recognize(NormalizedText text, List<Entity> found) {
        Matcher m = EMAIL.matcher(text.text());
        while (m.find()) {
            found.add(new Entity(EntityType.EMAIL_ADDRESS, m.start(), m.end(), 0.9, name()));
        }
    }
}
