package dev.yuanjian.mark;

import java.util.List;

/**
 * What one mark's detector found in an asset. The report is a list of these; renderers (the CLI,
 * the HTTP API, the {@code /verify} page) show {@link #summary}, {@link #facts} and {@link #notes}
 * and embed {@link #view} as the type's own JSON, without knowing any type.
 */
public interface Finding {

    /** The name of the mark that found it ({@link Mark#name()}). */
    String mark();

    /**
     * Stable machine name of this finding's type, the {@code type} of its JSON; by default the
     * mark's name, for marks with one kind of finding.
     */
    default String type() {
        return mark();
    }

    /** True when the mark is in the asset (valid or not); false when it is absent. */
    boolean present();

    /** One sentence for a person, in English and Chinese. */
    Message summary();

    /** The details a person reads, in order. */
    List<Fact> facts();

    /** Things a reader should know: non-conformities, placeholders, missing parts. */
    List<Message> notes();

    /** What this finding says about the asset's origin, strongest first; empty for most marks. */
    List<Claim> claims();

    /**
     * The type's own JSON view: a record, map or Jackson node that serialises to the fields a
     * program reads for this type (for the GB 45438 label: its seven fields, the seal result...).
     */
    Object view();
}
