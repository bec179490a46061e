// Runs one named scenario against the gateway and prints its result as one JSON line on stdout:
// {"ok": true, ...} or {"ok": false, "error": {...}} when the client raised. NodeClientsTest reads it.
// The gateway's base URL (http://127.0.0.1:PORT/v1) comes from YUANJIAN_BASE_URL.
export const baseURL = process.env.YUANJIAN_BASE_URL;

export async function run(scenarios) {
  const name = process.argv[2];
  const scenario = scenarios[name];
  if (!baseURL || !scenario) {
    console.error(`usage: YUANJIAN_BASE_URL=http://127.0.0.1:PORT/v1 node ${process.argv[1]} ${Object.keys(scenarios).join('|')}`);
    process.exit(2);
  }
  let result;
  try {
    result = { ok: true, ...(await scenario()) };
  } catch (e) {
    result = {
      ok: false,
      error: { name: e?.constructor?.name, message: String(e?.message ?? e), status: e?.status ?? e?.statusCode ?? null },
    };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** The label headers of a fetch Response or a plain header record, null where absent. */
export function labelHeaders(headers) {
  const get = (n) => (typeof headers?.get === 'function' ? headers.get(n) : headers?.[n]) ?? null;
  return { label: get('x-aigc-label'), contentId: get('x-content-id') };
}

export const weather = {
  name: 'weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  run: ({ city }) => `Sunny, 21 degrees in ${city}`,
};
