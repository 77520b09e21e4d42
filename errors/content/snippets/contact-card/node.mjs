// Set up a line's contact card so that running it twice is harmless: look the card up, create it
// if there is none (2012), and update it with PATCH if it exists (2014) or is not active yet.
const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const LINE = "+12223334444"; // one of your lines, in E.164
const CARD = { phone_number: LINE, first_name: "Acme", last_name: "Support" };

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
const number = encodeURIComponent(LINE); // "+" must travel as %2B
// The overview table's form of the update; the 2014 page notes the other forms Linq shows.
const update = `/v3/contact_card?phone_number=${number}`;

const lookup = await call("GET", `/v3/contact_card?phone_number=${number}`);
const cards = lookup.status === 200 ? (lookup.payload?.contact_cards ?? []) : []; // 2012: no card
let result;
if (cards.some((card) => card.is_active)) {
  console.log("the card is set up and active");
} else if (cards.length > 0) {
  result = await call("PATCH", update, CARD); // set up before, but not active: update it
} else {
  result = await call("POST", "/v3/contact_card", CARD);
  if (errorCode(result.payload) === 2014) result = await call("PATCH", update, CARD);
}
if (result && result.status >= 400) {
  console.error(`not saved: ${errorCode(result.payload)}, trace_id ${result.payload?.trace_id}`);
  process.exitCode = 1;
} else if (result) {
  console.log(JSON.stringify(result.payload));
}
