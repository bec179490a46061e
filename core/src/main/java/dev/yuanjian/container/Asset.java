package dev.yuanjian.container;

import java.util.Optional;

/**
 * A file as containers and marks see it: its name (for format detection and messages only, never opened),
 * its bytes, and for formats that cannot carry metadata (plain text) the sidecar label file
 * {@code NAME.aigc.json}.
 */
public record Asset(String name, byte[] bytes, Optional<byte[]> sidecar) {
    public Asset {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(bytes, "bytes");
        java.util.Objects.requireNonNull(sidecar, "sidecar");
    }

    public static Asset of(String name, byte[] bytes) {
        return new Asset(name, bytes, Optional.empty());
    }

    public Asset withBytes(byte[] newBytes) {
        return new Asset(name, newBytes, sidecar);
    }

    public Asset withSidecar(byte[] newSidecar) {
        return new Asset(name, bytes, Optional.of(newSidecar));
    }

    /** The sidecar's conventional name for this asset: {@code NAME.aigc.json}. */
    public String sidecarName() {
        return sidecarName(name);
    }

    public static String sidecarName(String name) {
        return name + ".aigc.json";
    }
}
