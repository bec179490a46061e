package dev.yuanjian.ledger;

import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link DurabilityTest}: opens the H2 log at {@code args[0]} and appends
 * {@code args[1]} records as fast as it can, printing {@code ack <index> <contentId>} for each
 * append once it is acknowledged (committed), flushed at once, until it is killed.
 */
public final class AppendBurst {
    private AppendBurst() {
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        long count = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "US-ASCII");
        Semaphore window = new Semaphore(2000);
        Database db = Database.open("jdbc:h2:file:" + path + ";WRITE_DELAY=0", "sa", "");
        var log = new JdbcTransparencyLog(db, SigningKey.fromSeed(new byte[32]), "yuanjian.test/log");
        out.println("ready");
        out.flush();
        for (long i = 0; i < count; i++) {
            window.acquire();
            String id = "burst-" + i;
            log.appendAsync(Records.sample(id, i)).whenComplete((appended, error) -> {
                window.release();
                synchronized (out) {
                    out.println(error == null ? "ack " + appended.index() + " " + id : "error " + id + " " + error);
                    out.flush();
                }
            });
        }
        log.close();
        db.close();
        out.println("done");
        out.flush();
    }
}
