// The Vercel AI SDK (`ai` with `@ai-sdk/openai`) against the gateway: node ai-sdk.mjs SCENARIO (see scenario.mjs).
// `openai(id)` speaks /v1/responses since AI SDK 5; `openai.chat(id)` speaks /v1/chat/completions.
import { createOpenAI } from '@ai-sdk/openai';
import { embed, generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { baseURL, labelHeaders, run, weather } from './scenario.mjs';

const openai = createOpenAI({ baseURL, apiKey: 'unused-on-localhost' });
const chat = openai.chat('chat');

await run({
  // The label from the raw response body (`response.body.aigc`) and the headers (`response.headers`).
  async chat() {
    const r = await generateText({ model: chat, prompt: 'Say hello.', temperature: 0.2, maxOutputTokens: 64, maxRetries: 0 });
    return { text: r.text, aigc: r.response.body?.aigc ?? null, headers: labelHeaders(r.response.headers), finishReason: r.finishReason };
  },

  // In a stream the label is in a raw chunk: `includeRawChunks` hands them over in `fullStream`.
  async stream() {
    const r = streamText({ model: chat, prompt: 'Say hello.', includeRawChunks: true, maxRetries: 0 });
    let text = '';
    let aigc = null;
    const errors = [];
    for await (const part of r.fullStream) {
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'raw' && part.rawValue?.aigc) aigc = part.rawValue.aigc;
      if (part.type === 'error') errors.push(String(part.error?.message ?? part.error));
    }
    return { text, aigc, errors, finishReason: await r.finishReason, totalTokens: (await r.usage).totalTokens ?? null };
  },

  // The SDK runs the tool and sends its result back (two steps).
  async tools() {
    const calls = [];
    const r = await generateText({
      model: chat,
      prompt: 'What is the weather in Hangzhou?',
      tools: {
        weather: tool({
          description: weather.description,
          inputSchema: jsonSchema(weather.parameters),
          execute: async (input) => { calls.push(input); return weather.run(input); },
        }),
      },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    const first = r.steps[0];
    return { calls, toolTurnText: first.text, text: r.text, steps: r.steps.length, aigc: r.response.body?.aigc ?? null };
  },

  async streamedTools() {
    const calls = [];
    const r = streamText({
      model: chat,
      prompt: 'What is the weather in Hangzhou?',
      tools: { weather: tool({ description: weather.description, inputSchema: jsonSchema(weather.parameters), execute: async (input) => { calls.push(input); return weather.run(input); } }) },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    const text = await r.text;
    const steps = await r.steps;
    return { calls, toolTurnText: steps[0].text, text, steps: steps.length };
  },

  // Structured output: json_schema from a zod schema, parsed and validated by the SDK.
  async structured() {
    const r = await generateObject({ model: chat, schema: z.object({ name: z.string(), population: z.number() }), prompt: 'Describe Hangzhou', maxRetries: 0 });
    return { parsed: r.object, aigc: r.response.body?.aigc ?? null };
  },

  async error() {
    await generateText({ model: chat, prompt: 'Say hello.', maxRetries: 0 });
    return {};
  },

  async unknownModel() {
    await generateText({ model: openai.chat('no-such-model'), prompt: 'Say hello.', maxRetries: 0 });
    return {};
  },

  async brokenStream() {
    const r = streamText({ model: chat, prompt: 'Say hello.', maxRetries: 0, onError: () => {} });
    let text = '';
    for await (const part of r.fullStream) {
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'error') throw part.error;
    }
    return { text, finishReason: await r.finishReason };
  },

  async embeddings() {
    const r = await embed({ model: openai.embedding('chat'), value: 'hello', maxRetries: 0 });
    return { dimensions: r.embedding.length };
  },

  // The provider's default model speaks /v1/responses.
  async responses() {
    const r = await generateText({ model: openai('chat'), prompt: 'Say hello.', maxRetries: 0 });
    return { text: r.text, aigc: r.response.body?.aigc ?? null };
  },
});
