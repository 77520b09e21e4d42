// Send only from a line your token owns and that can send. List the lines first: stop if the
// number is not one of them (2006), show the line's id (a call that asks for a line takes the id,
// not the number: 2019), and while the line is FLAGGED send from an ACTIVE one instead (4002).
import { randomUUID } from "node:crypto";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const LINE = "+12223334444"; // the line you mean to send from, in E.164
const TO = "+15556667777";
const E164 = /^\+[1-9][0-9]{1,14}$/;

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
const numberOf = (record) =>
  Object.values(record).find((v) => typeof v === "string" && E164.test(v));

// Every record in the answer that has an id and a number: the lines of this token.
function linesIn(value) {
  if (Array.isArray(value)) return value.flatMap(linesIn);
  if (value === null || typeof value !== "object") return [];
  const found = "id" in value && numberOf(value) ? [value] : [];
  return found.concat(Object.values(value).flatMap(linesIn));
}

function stop(reason, payload) {
  const trace = payload && typeof payload === "object" ? `, trace_id ${payload.trace_id}` : "";
  console.error(`not sent: ${reason}${trace}`);
  process.exit(1);
}

const listing = await call("GET", "/v3/phone_numbers");
if (listing.status >= 400) {
  stop(`could not list the lines (${errorCode(listing.payload)})`, listing.payload);
}
const lines = linesIn(listing.payload);
const line = lines.find((item) => numberOf(item) === LINE);
if (!line) {
  const listed = lines.map(numberOf).join(", ") || "none";
  stop(`${LINE} is not a line of this token (2006); its lines: ${listed}`);
}
console.log(`${LINE} is line id ${line.id}`); // pass this id wherever a call asks for the line (2019)

let sender = line;
if (line.status === "FLAGGED") {
  sender = lines.find((item) => item.status === "ACTIVE");
  // Hold the queue; resume when phone_number.status_updated reports a line healthy again.
  if (!sender) stop("every line is FLAGGED (4002): hold the messages until one is ACTIVE");
  console.log(`${LINE} is FLAGGED; sending from ${numberOf(sender)}`);
}

const message = {
  parts: [{ type: "text", value: "Your order has shipped." }],
  idempotency_key: randomUUID(), // keep it with the message if you queue it
};
const sent = await call("POST", "/v3/chats", { from: numberOf(sender), to: [TO], message });
if (sent.status >= 400) {
  // 2006 or 4002 will not pass by repeating the call: report it instead of retrying.
  stop(`Linq answered ${errorCode(sent.payload)}`, sent.payload);
}
console.log(JSON.stringify(sent.payload));
