/**
 * Model backends and how to reach them: the configured model list ({@link dev.yuanjian.model.ModelConfig},
 * from config.yaml, environment variables, or a detected local Ollama), the upstream HTTP client for
 * OpenAI-compatible servers and Stable Diffusion WebUI ({@link dev.yuanjian.model.UpstreamClient}),
 * and routing over backends: priority, weights, retries with jittered backoff honouring
 * {@code Retry-After}, fallbacks, and a circuit breaker per backend ({@link dev.yuanjian.model.Router}).
 *
 * <p>Owns: backend configuration, upstream connections, timeouts, routing state. Must not touch:
 * labels, the log, API keys or HTTP serving; it returns upstream answers and failures as data
 * ({@link dev.yuanjian.model.Attempt}, {@link dev.yuanjian.model.Routed}) and the caller governs them.
 */
package dev.yuanjian.model;
