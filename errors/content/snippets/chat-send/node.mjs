// Send into an existing chat by its ID, and tell the "no such chat" answers apart. An ID that is
// not a UUID is caught before any call; 2001 (a chat this token does not have) is checked against
// GET /v3/chats and reported; 2013 (a chat your line has left) is final, so the chat is marked
// closed and a new one is started with POST /v3/chats. Neither is retried.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const CHAT_ID = process.env.CHAT_ID ?? "3b6c8e0a-0000-4000-8000-0000000000c1"; // as Linq returned it
const CLOSED = "closed-chats.txt"; // chats this program found closed (2013), one ID a line
const [FROM, TO] = ["+12223334444", "+15556667777"]; // your line and the person the chat is with
const TEXT = "Your order has shipped."; // no link: a new chat's first message may not have one (1005)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
const message = () => ({
  parts: [{ type: "text", value: TEXT }],
  idempotency_key: randomUUID(),
});

function stop(reason) {
  console.error(reason);
  process.exit(1);
}

async function startNewChat() {
  const created = await call("POST", "/v3/chats", { from: FROM, to: [TO], message: message() });
  if (created.status >= 400) {
    stop(`no new chat: ${errorCode(created.payload)}, trace_id ${created.payload?.trace_id}`);
  }
  console.log(JSON.stringify(created.payload)); // store the new chat's ID, exactly as returned
}

if (!UUID.test(CHAT_ID)) {
  stop(`not sent: "${CHAT_ID}" is not a Linq chat ID (a UUID from POST or GET /v3/chats)`);
}
const closed = existsSync(CLOSED) ? readFileSync(CLOSED, "utf8").split(/\s+/) : [];
if (closed.includes(CHAT_ID)) {
  console.log(`chat ${CHAT_ID} was left earlier (2013): starting a new chat`);
  await startNewChat();
} else {
  const sent = await call("POST", `/v3/chats/${CHAT_ID}/messages`, { message: message() });
  const [code, traceId] = [errorCode(sent.payload), sent.payload?.trace_id];
  if (code === 2013) {
    appendFileSync(CLOSED, CHAT_ID + "\n"); // final: nothing more is sent into this chat
    console.log(`chat ${CHAT_ID} is closed to your line (2013, trace_id ${traceId}):`);
    console.log("starting a new chat");
    await startNewChat();
  } else if (code === 2001) {
    const chats = await call("GET", "/v3/chats");
    if (chats.status < 400 && JSON.stringify(chats.payload).includes(CHAT_ID)) {
      stop(`2001 (trace_id ${traceId}) for a chat this token lists: check the path called`);
    }
    stop(
      `chat ${CHAT_ID} is not among this token's chats (2001, trace_id ${traceId}): use ` +
        "the ID from POST or GET /v3/chats, with the token that created the chat",
    );
  } else if (sent.status >= 400) {
    stop(`not sent: ${code}, trace_id ${traceId}`);
  } else {
    console.log(JSON.stringify(sent.payload));
  }
}
