package dev.yuanjian.app;

import dev.yuanjian.gateway.RequestFilter;
import dev.yuanjian.gateway.ResponseFilter;
import dev.yuanjian.mark.Mark;
import java.util.List;

/**
 * Marks, gateway filters and recognizers of personal data added to an installation from outside the product: the composition
 * root adds them after the built-in ones (marks in their stage's order, filters after the visible
 * label). Installed extensions are found with {@link java.util.ServiceLoader} (a jar on the class
 * path with {@code META-INF/services/dev.yuanjian.app.Extension}); tests and embedders pass them to
 * {@link Yuanjian#open(java.util.Map, List)}.
 */
public interface Extension {

    /** The marks this extension adds; {@code context} gives what they may need. */
    default List<Mark> marks(Context context) {
        return List.of();
    }

    /** Request filters, run after the built-in ones. */
    default List<RequestFilter> requestFilters(Context context) {
        return List.of();
    }

    /** Response filters, run after the built-in ones (the visible label comes first). */
    default List<ResponseFilter> responseFilters(Context context) {
        return List.of();
    }

    /** Recognizers of personal data, run after the built-in ones (docs/privacy.md). */
    default List<dev.yuanjian.privacy.Recognizer> recognizers(Context context) {
        return List.of();
    }

    /** What an extension may use: the settings and the data directory of the installation. */
    record Context(Settings settings, dev.yuanjian.store.Home home) {
    }
}
