package dev.yuanjian.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who is on the other end of a request. */
public final class Peers {
    private Peers() {
    }

    /** True when the request comes from this machine (a loopback address). */
    public static boolean isLocal(Context ctx) {
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
