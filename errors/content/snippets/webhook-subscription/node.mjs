// Find your webhook subscription's ID by its target URL (each URL is used once per account)
// instead of a stored ID that Linq cannot match (2010); if the account has none for the URL,
// create it. The new signing secret is shown only in that answer, so it is kept in a private file.
import { writeFileSync } from "node:fs";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const TARGET_URL = "https://example.com/linq/webhooks"; // your endpoint, exactly as subscribed
const EVENTS = ["message.sent", "message.delivered", "message.read", "message.failed"];
const SECRET_FILE = "webhook-subscription.json"; // move the secret to your secret store, then delete it
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

// Every record in the answer that has a target_url: the subscriptions.
function subscriptionsIn(value) {
  if (Array.isArray(value)) return value.flatMap(subscriptionsIn);
  if (value === null || typeof value !== "object") return [];
  const found = "target_url" in value ? [value] : [];
  return found.concat(Object.values(value).flatMap(subscriptionsIn));
}

const idOf = (record) =>
  Object.values(record ?? {}).find((v) => typeof v === "string" && UUID.test(v));

function stop(what, payload) {
  console.error(`${what}: ${payload?.error?.code}, trace_id ${payload?.trace_id}`);
  process.exit(1);
}

const listing = await call("GET", "/v3/webhook-subscriptions");
if (listing.status >= 400) stop("could not list the subscriptions", listing.payload);
const mine = subscriptionsIn(listing.payload).filter((s) => s.target_url === TARGET_URL);
if (mine.length > 0) {
  console.log(idOf(mine[0])); // the ID to use in calls that address this subscription
} else {
  const body = { target_url: TARGET_URL, subscribed_events: EVENTS };
  const created = await call("POST", "/v3/webhook-subscriptions", body);
  if (created.status >= 400) stop("could not create the subscription", created.payload);
  // The answer holds the signing secret, returned this once: keep it out of logs and output.
  writeFileSync(SECRET_FILE, JSON.stringify(created.payload), { mode: 0o600 });
  console.error(`created; signing secret saved in ${SECRET_FILE}`);
  console.log(idOf(subscriptionsIn(created.payload)[0]));
}
