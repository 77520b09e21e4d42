// Send a message and, on 429 (1007), wait what the response says before the next attempt:
// the Retry-After header, else error.retry_after, else a capped backoff. No wait after the last try.
import { randomUUID } from "node:crypto";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const ATTEMPTS = 4;
const MAX_WAIT = 60; // seconds; a longer wait is reported instead of slept through

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

function secondsToWait(headers, payload, attempt) {
  const header = headers.get("retry-after") ?? "";
  if (/^\d+$/.test(header)) return Number(header);
  const retryAfter = payload?.error?.retry_after;
  if (Number.isInteger(retryAfter) && retryAfter >= 0) return retryAfter;
  return Math.min(2 ** attempt, 30); // no wait given: exponential backoff, capped at 30 s
}

async function send(body) {
  for (let attempt = 0; ; attempt++) {
    const result = await call("POST", "/v3/chats", body);
    if (result.status !== 429 || attempt === ATTEMPTS - 1) return result;
    const wait = secondsToWait(result.headers, result.payload, attempt);
    if (wait > MAX_WAIT) return result; // too long to hold this request: queue it instead
    await sleep(wait);
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
