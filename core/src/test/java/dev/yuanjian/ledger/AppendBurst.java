package dev.yuanjian.ledger;

import dev.yuanjian.store.Database;
import dev.yuanjian.store.SigningKey;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;

/**
 * A child process for {@link DurabilityTest} and {@link SharedFileTest}: opens the log at JDBC URL
 * {@code args[0]} and appends {@code args[1]} records (content ids {@code <args[2]>-<i>}) as fast
 * as it can, printing {@code ack <index> <contentId>} for each append once it is acknowledged
 * (committed), flushed at once. Then it prints {@code appended}, waits for a line on standard
 * input, closes the log and prints {@code done}. With {@code args[3] == "wait"} it also waits for a
 * line before it starts appending.
 */
public final class AppendBurst {
    private AppendBurst() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long count = Long.parseLong(args[1]);
        String prefix = args[2];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "US-ASCII");
        Semaphore window = new Semaphore(2000);
        Database db = Database.open(url, "sa", "");
        var log = new JdbcTransparencyLog(db, SigningKey.fromSeed(new byte[32]), "yuanjian.test/log");
        out.println("ready");
        out.flush();
        var input = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        if (args.length > 3 && args[3].equals("wait")) {
            input.readLine(); // the parent says go: both processes then append at once
        }
        for (long i = 0; i < count; i++) {
            window.acquire();
            String id = prefix + "-" + i;
            log.appendAsync(Records.sample(id, i)).whenComplete((appended, error) -> {
                synchronized (out) {
                    out.println(error == null ? "ack " + appended.index() + " " + id : "error " + id + " " + error);
                    out.flush();
                }
                // Released only after the ack is out: "appended" must follow every ack line.
                window.release();
            });
        }
        window.acquire(2000); // every append acknowledged
        out.println("appended");
        out.flush();
        input.readLine();
        log.close();
        db.close();
        out.println("done");
        out.flush();
    }
}
