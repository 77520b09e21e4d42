// Send a message, retrying Linq's transient 5xx errors with exponential backoff:
// waits of 1, 2, 4, 8, 16 and 30 s, never more than 30, no wait after the last attempt.
import { randomUUID } from "node:crypto";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const SCHEDULE = [1, 2, 4, 8, 16, 30]; // seconds between attempts
const TRANSIENT = new Set([3001, 3002, 3003, 3004, 3005, 3006, 4001, 5001, 5003]);

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

async function call(method, path, body) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => null);
  return { status: response.status, payload };
}

const errorCode = (payload) => payload?.error?.code;

async function sendWithBackoff(body) {
  for (let attempt = 0; ; attempt++) {
    const result = await call("POST", "/v3/chats", body);
    if (!TRANSIENT.has(errorCode(result.payload)) || attempt === SCHEDULE.length) {
      return result; // done, not transient, or the last attempt: no more waiting
    }
    const delay = SCHEDULE[attempt];
    await sleep(delay / 2 + Math.random() * (delay / 2)); // jitter that stays under the cap
  }
}

const message = {
  parts: [{ type: "text", value: "Your order has shipped." }],
  idempotency_key: randomUUID(), // the same key on every attempt: never sent twice
};
const { status, payload } = await sendWithBackoff({
  from: "+12223334444",
  to: ["+15556667777"],
  message,
});
if (status >= 400) {
  // Still failing after the whole schedule: report it with the trace id.
  console.error(`gave up with ${errorCode(payload)}, trace_id ${payload?.trace_id}`);
  process.exitCode = 1;
} else {
  console.log(JSON.stringify(payload));
}
