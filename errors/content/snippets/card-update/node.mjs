// Update an iMessage app card only once it has been delivered. Linq refuses the update of a card
// that is not delivered yet with 409 (this site reads it as 2015); repeating it at once meets the
// same state, so the update is held and sent when the card's message.delivered event arrives.
//   node card_update.mjs <message id>   send the update in card-update.json, or hold it
//   node card_update.mjs delivered      give it a verified message.delivered event on stdin:
//                                       sends the updates held for that message, once
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const UPDATE = "card-update.json"; // the update, built as Linq's API reference describes it
const HELD = "held-updates.json"; // message id -> update waiting for the card's delivery

async function update(messageId, body) {
  const response = await fetch(`${BASE_URL}/v3/messages/${messageId}/update`, {
    method: "POST",
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const payload = response.ok ? null : await response.json().catch(() => null);
  return { status: response.status, code: payload?.error?.code, traceId: payload?.trace_id };
}

// Every string in an event, whatever its layout (the message's id is one of them).
function stringsIn(value) {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(stringsIn);
}

async function tryUpdate(messageId, body, held) {
  const { status, code, traceId } = await update(messageId, body);
  if (status === 409 && (code === 2015 || code === undefined)) {
    held[messageId] = body; // not delivered yet: wait for the event
    console.log(`update of ${messageId} held until its message.delivered event`);
  } else if (status >= 400) {
    console.error(`update of ${messageId} refused: ${code ?? status}, trace_id ${traceId}`);
    process.exitCode = 1;
  } else {
    delete held[messageId];
    console.log(`updated ${messageId}`);
  }
}

const held = existsSync(HELD) ? JSON.parse(readFileSync(HELD, "utf8")) : {};
if (process.argv[2] === "delivered") {
  // Verify the signature first (see the webhooks guide).
  const delivered = new Set(stringsIn(JSON.parse(readFileSync(0, "utf8"))));
  for (const messageId of Object.keys(held).filter((m) => delivered.has(m))) {
    const body = held[messageId];
    delete held[messageId];
    await tryUpdate(messageId, body, held);
  }
} else {
  await tryUpdate(process.argv[2], JSON.parse(readFileSync(UPDATE, "utf8")), held);
}
writeFileSync(HELD, JSON.stringify(held));
