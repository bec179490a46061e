package dev.yuanjian.container;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one metadata property, as each kind of container spells it: {@code name} is the
 * front-matter key (Markdown), the custom property (DOCX), the Info dictionary key (PDF); XMP
 * containers (PNG, JPEG, WebP) use the qualified name {@code prefix:name} in {@code namespace}.
 *
 * @param name      ASCII letters, digits, '_' and '-', starting with a letter (valid as a YAML key,
 *                  a PDF name and an XML local name)
 * @param namespace the XMP namespace URI
 * @param prefix    the XMP prefix written with it
 */
public record MetadataKey(String name, String namespace, String prefix) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    public MetadataKey {
        Objects.requireNonNull(namespace, "namespace");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metadata key must match " + NAME + ", got '" + name + "'");
        }
        if (prefix == null || !NAME.matcher(prefix).matches()) {
            throw new IllegalArgumentException("XMP prefix must match " + NAME + ", got '" + prefix + "'");
        }
    }

    /** {@code prefix:name}, as written in XMP. */
    public String qualifiedName() {
        return prefix + ":" + name;
    }
}
