/**
 * The gateway benchmark: the loopback model server called directly and through the gateway, side
 * by side in one run (added latency at a fixed request rate, added time to first token, a thousand
 * concurrent streams, heap). Run it as {@code docs/benchmarks.md} says; figures go there.
 *
 * <p>Owns: load generation and measurement. Must not touch: the gateway's code paths (it calls them
 * over HTTP exactly as clients do).
 */
package dev.yuanjian.bench.gateway;
