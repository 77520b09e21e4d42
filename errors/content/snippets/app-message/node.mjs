// Send an iMessage app card only where it can arrive, and fall back to plain text where it cannot.
//   node app_message.mjs          check the recipient (cached 10 min), send the card without
//                                 preferred_service (2018), or plain text if not on iMessage
//   node app_message.mjs failed   give it a verified webhook event on stdin: on a message.failed
//                                 with code 4005, send the text instead, once, to that recipient
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const [FROM, TO] = ["+12223334444", "+15556667777"];
const TEXT = "Your order has shipped."; // what the card says, as plain text for everyone else
const APP_PART = "app-part.json"; // your app part, built as Linq's API reference describes it
const CAPABLE = "imessage-capable.json"; // address -> [available, checked at]
const SENT = "app-sends.json"; // trace_id of each card sent -> who it went to
const CACHE_SECONDS = 600; // the check allows one call every 10 s: keep answers for minutes

async function call(method, path, body) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const payload = await response.json().catch(() => null);
  return { status: response.status, payload, traceId: response.headers.get("X-Trace-ID") ?? "" };
}

const load = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {});
const save = (path, value) => writeFileSync(path, JSON.stringify(value));
const now = () => Date.now() / 1000;

// The first value of `key` anywhere in an event, whatever its layout.
function first(value, key) {
  if (value === null || typeof value !== "object") return undefined;
  if (!Array.isArray(value) && key in value) return value[key];
  for (const item of Object.values(value)) {
    const found = first(item, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

const send = (parts, to, key) =>
  call("POST", "/v3/chats", { from: FROM, to: [to], message: { parts, idempotency_key: key } });

async function sendText(to, key) {
  const { status, payload, traceId } = await send([{ type: "text", value: TEXT }], to, key);
  if (status >= 400) {
    console.error(`text not sent: ${JSON.stringify(payload?.error)}, trace_id ${traceId}`);
    process.exit(1);
  }
  console.log(`sent as text to ${to}`);
}

async function onIMessage(address) {
  const capable = load(CAPABLE);
  const cached = capable[address];
  if (cached && now() - cached[1] < CACHE_SECONDS) return cached[0];
  const check = { address, from: FROM };
  const { status, payload } = await call("POST", "/v3/capability/check_imessage", check);
  // A 1007 here means checking too often: send text, do not ask again now.
  if (status >= 400) return false;
  capable[address] = [Boolean(payload?.available), now()];
  save(CAPABLE, capable);
  return capable[address][0];
}

if (process.argv[2] === "failed") {
  // Verify the signature first (see the webhooks guide).
  const event = JSON.parse(readFileSync(0, "utf8"));
  const sent = load(SENT);
  const traceId = String(first(event, "trace_id"));
  const card = sent[traceId];
  // Only a 4005 for a card sent from here, not handled yet (events can repeat).
  if (first(event, "code") === 4005 && card) {
    delete sent[traceId];
    save(CAPABLE, { ...load(CAPABLE), [card.to]: [false, now()] });
    // One key per failed card: a repeated event cannot send the text twice.
    await sendText(card.to, createHash("sha256").update(`text for ${card.trace_id}`).digest("hex"));
    save(SENT, sent);
  }
} else if (await onIMessage(TO)) {
  // No preferred_service: app cards go over iMessage only (asking for SMS or RCS is 2018).
  const appPart = JSON.parse(readFileSync(APP_PART, "utf8"));
  const { status, payload, traceId } = await send([appPart], TO, randomUUID());
  if (payload?.error?.code === 2018) {
    await sendText(TO, randomUUID());
  } else if (status >= 400) {
    console.error(`card not sent: ${JSON.stringify(payload?.error)}, trace_id ${traceId}`);
    process.exitCode = 1;
  } else {
    save(SENT, { ...load(SENT), [traceId]: { to: TO, trace_id: traceId } });
    console.log(`card sent to ${TO}, trace_id ${traceId}`);
  }
} else {
  await sendText(TO, randomUUID());
}
