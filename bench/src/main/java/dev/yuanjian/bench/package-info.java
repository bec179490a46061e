/**
 * Bench commands ({@code java -jar bench/target/benchmarks.jar <command>}) and JMH benchmarks.
 * Every figure quoted in {@code docs/benchmarks.md} comes from here, beside a baseline measured in
 * the same run. Benchmarks build their own data; nothing is downloaded.
 */
package dev.yuanjian.bench;
