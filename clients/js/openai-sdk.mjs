// The official Node SDK (`openai`) against the gateway: node openai-sdk.mjs SCENARIO (see scenario.mjs).
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { baseURL, labelHeaders, run, weather } from './scenario.mjs';

const client = new OpenAI({ baseURL, apiKey: 'unused-on-localhost', maxRetries: 0, timeout: 20_000 });
const model = 'chat';
const ask = (content) => [{ role: 'user', content }];

await run({
  // Plain chat with parameters; the label from the body (`aigc`) and from the headers (withResponse).
  async chat() {
    const { data, response, request_id } = await client.chat.completions
      .create({ model, messages: ask('Say hello.'), temperature: 0.2, max_tokens: 64 })
      .withResponse();
    return { text: data.choices[0].message.content, aigc: data.aigc, headers: labelHeaders(response.headers), request_id };
  },

  // The README's streaming loop, with `chunk.choices[0].delta` read as the quick start does.
  async stream() {
    const stream = await client.chat.completions.create({ model, messages: ask('Say hello.'), stream: true });
    let text = '';
    let aigc = null;
    let emptyChoiceChunks = 0;
    let quickStartError = null;
    for await (const chunk of stream) {
      if (chunk.aigc) aigc = chunk.aigc;
      if (chunk.choices.length === 0) emptyChoiceChunks++;
      try {
        text += chunk.choices[0].delta.content ?? '';
      } catch (e) {
        quickStartError ??= String(e.message);
      }
    }
    return { text, aigc, emptyChoiceChunks, quickStartError };
  },

  // A tool call answered by running the tool here and sending its result back, as the SDK's docs show.
  async tools() {
    const tools = [{ type: 'function', function: { name: weather.name, description: weather.description, parameters: weather.parameters } }];
    const messages = ask('What is the weather in Hangzhou?');
    const first = await client.chat.completions.create({ model, messages, tools });
    const turn = first.choices[0].message;
    const call = turn.tool_calls[0];
    const input = JSON.parse(call.function.arguments);
    messages.push(turn, { role: 'tool', tool_call_id: call.id, content: weather.run(input) });
    const second = await client.chat.completions.create({ model, messages, tools });
    return { calls: [input], toolTurnText: turn.content, text: second.choices[0].message.content, aigc: second.aigc };
  },

  // The SDK's own tool runner, streaming: it runs the tool and sends its result back.
  async streamedTools() {
    const calls = [];
    const runner = client.chat.completions.runTools({
      model,
      messages: ask('What is the weather in Hangzhou?'),
      stream: true,
      tools: [{
        type: 'function',
        function: { name: weather.name, description: weather.description, parameters: weather.parameters, parse: JSON.parse,
          function: (input) => { calls.push(input); return weather.run(input); } },
      }],
    });
    const text = await runner.finalContent();
    const toolTurn = runner.messages.find((m) => m.role === 'assistant' && m.tool_calls?.length);
    return { calls, toolTurnText: toolTurn?.content ?? null, text };
  },

  // JSON mode: the content must parse.
  async json() {
    const r = await client.chat.completions.create({ model, messages: ask('Hangzhou as JSON'), response_format: { type: 'json_object' } });
    return { parsed: JSON.parse(r.choices[0].message.content), aigc: r.aigc };
  },

  // Structured output through the SDK's own parser (json_schema from a zod schema).
  async structured() {
    const City = z.object({ name: z.string(), population: z.number() });
    const r = await client.chat.completions.parse({ model, messages: ask('Describe Hangzhou'), response_format: zodResponseFormat(City, 'city') });
    return { parsed: r.choices[0].message.parsed, aigc: r.aigc };
  },

  async error() {
    await client.chat.completions.create({ model, messages: ask('Say hello.') });
    return {};
  },

  async unknownModel() {
    await client.chat.completions.create({ model: 'no-such-model', messages: ask('Say hello.') });
    return {};
  },

  async brokenStream() {
    const stream = await client.chat.completions.create({ model, messages: ask('Say hello.'), stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return { text };
  },

  async embeddings() {
    const r = await client.embeddings.create({ model, input: ['hello', 'world'] });
    return { count: r.data.length, dimensions: r.data[0].embedding.length };
  },

  async responses() {
    const r = await client.responses.create({ model, input: 'Say hello.' });
    return { text: r.output_text, aigc: r.aigc ?? null };
  },
});
