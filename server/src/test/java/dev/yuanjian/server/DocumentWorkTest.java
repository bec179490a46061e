package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.container.FormatException;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Documents are worked on by a bounded set of workers; past its queue a request is refused at once. */
class DocumentWorkTest {

    @Test
    void pastTheWorkersAndTheQueueARequestGets503BusyAtOnce() throws Exception {
        DocumentWork work = new DocumentWork(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> {
            try {
                work.run(() -> {
                    running.countDown();
                    await(release);
                    return "first";
                }, () -> { });
            } catch (FormatException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofVirtual().start(() -> {
            try {
                work.run(() -> "queued", () -> { });
            } catch (FormatException e) {
                throw new AssertionError(e);
            }
        });
        // The queued job holds the only queue place once it is submitted.
        while (second.getState() != Thread.State.WAITING && second.isAlive()) {
            Thread.sleep(5);
        }
        AtomicBoolean retryAfter = new AtomicBoolean();

        assertThatThrownBy(() -> work.run(() -> "third", () -> retryAfter.set(true)))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getStatus()).isEqualTo(503))
                .satisfies(e -> assertThat(((HttpResponseException) e).getDetails()).containsEntry("code", "busy"));
        assertThat(retryAfter).isTrue();

        release.countDown();
        first.join(10_000);
        second.join(10_000);
        assertThat(work.run(() -> "again", () -> { })).isEqualTo("again");
    }

    @Test
    void aJobsOwnFailureComesBackAsItWasThrown() {
        DocumentWork work = new DocumentWork(1, 1);
        assertThatThrownBy(() -> work.run(() -> {
            throw new FormatException("broken.pdf: not a PDF");
        }, () -> { })).isInstanceOf(FormatException.class).hasMessage("broken.pdf: not a PDF");
        assertThatThrownBy(() -> work.run(() -> {
            throw new IllegalStateException("a fault of ours");
        }, () -> { })).isInstanceOf(IllegalStateException.class).hasMessage("a fault of ours");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
