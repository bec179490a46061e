package dev.yuanjian.mark;

/**
 * Whose digest is being computed. GB 45438 gives a file two parties: the producer who generated
 * it and a propagator (platform) that distributed it. The propagator's fields are added after the
 * producer sealed the file, so the producer's digest must leave them out, and the propagator's
 * digest covers everything but its own seal.
 */
public enum Binding {
    PRODUCER,
    PROPAGATOR
}
