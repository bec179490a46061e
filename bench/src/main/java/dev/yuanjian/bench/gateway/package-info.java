/**
 * The gateway benchmarks. {@code gateway} ({@link dev.yuanjian.bench.gateway.GatewayCostBench}): what
 * the gateway costs as users deploy it, every server in its own process (the loopback model, one or
 * more Yuanjian builds started with {@code java -jar yuanjian.jar serve}, Portkey's gateway under
 * node) and this process generating open-loop load: latency percentiles, CPU per request and peak
 * resident memory of each server. {@code gateway-inprocess} ({@link dev.yuanjian.bench.gateway.GatewayBench}):
 * the same routes in one JVM with the load generator, for time to first token and a thousand
 * concurrent streams. {@code upstream}: the loopback model alone, for the first. Figures go to
 * {@code docs/benchmarks.md}.
 *
 * <p>Owns: load generation and measurement. Must not touch: the gateway's code paths (it calls them
 * over HTTP exactly as clients do).
 */
package dev.yuanjian.bench.gateway;
