package dev.yuanjian.mark;

/**
 * The digests of one asset that verify needs, computed once ({@link Digests#of}) and handed to
 * every detector. Each is 32 bytes of SHA-256.
 *
 * @param exact      SHA-256 of exactly the asset's bytes
 * @param producer   the producer's digest ({@link Binding#PRODUCER})
 * @param propagator the propagator's digest ({@link Binding#PROPAGATOR})
 */
public record AssetDigests(byte[] exact, byte[] producer, byte[] propagator) {
    public AssetDigests {
        exact = exact.clone();
        producer = producer.clone();
        propagator = propagator.clone();
    }

    @Override
    public byte[] exact() {
        return exact.clone();
    }

    @Override
    public byte[] producer() {
        return producer.clone();
    }

    @Override
    public byte[] propagator() {
        return propagator.clone();
    }

    public byte[] of(Binding binding) {
        return binding == Binding.PRODUCER ? producer() : propagator();
    }
}
