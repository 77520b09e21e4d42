// Repeat a request that Linq answered with "not ready yet" (2007, 2009, 2022).
// Wait 3 s between attempts, at most 4 attempts, no wait after the last one.
import { randomUUID } from "node:crypto";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const WAIT = 3; // seconds
const ATTEMPTS = 4;
const NOT_YET = new Set([2007, 2009, 2022]);

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function call(method, path, body) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => null);
  return { status: response.status, headers: response.headers, payload };
}

const errorCode = (payload) => payload?.error?.code;

async function send(body) {
  for (let attempt = 0; ; attempt++) {
    const result = await call("POST", "/v3/chats", body);
    if (!NOT_YET.has(errorCode(result.payload)) || attempt === ATTEMPTS - 1) return result;
    await sleep(WAIT);
  }
}

const body = {
  from: "+12223334444",
  to: ["+15556667777"],
  message: {
    parts: [{ type: "text", value: "Your order has shipped." }],
    idempotency_key: randomUUID(), // the same key on every attempt: never sent twice
  },
};
const { status, payload } = await send(body);
if (status >= 400) {
  console.error(`not sent: ${errorCode(payload)}, trace_id ${payload?.trace_id}`);
  process.exitCode = 1;
} else {
  console.log(JSON.stringify(payload));
}
