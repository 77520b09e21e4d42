// Check the token itself when Linq answers 2004: it must be set, without quotes, white space or a
// "Bearer" of its own, and one authenticated read (GET /v3/phone_numbers) must accept it.
// A 2004 is reported, never retried: the same token fails the same way every time.
const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const TOKEN = process.env.LINQ_API_V3_API_KEY ?? "";

function problemWith(token) {
  if (!token) return "LINQ_API_V3_API_KEY is empty or not set in this process";
  if (token.toLowerCase().startsWith("bearer")) {
    return "the variable already starts with 'Bearer': the header would say it twice";
  }
  if (/\s/.test(token)) return "the token contains white space (a newline copied from a file?)";
  if (/^['"]|['"]$/.test(token)) return "the token is wrapped in quotes";
  return null;
}

const problem = problemWith(TOKEN);
if (problem) {
  console.error(`token not sent: ${problem}`);
  process.exit(1);
}
const masked = "…" + TOKEN.slice(-4); // never print or paste the whole token, not even into a ticket

const response = await fetch(`${BASE_URL}/v3/phone_numbers`, {
  headers: { Authorization: `Bearer ${TOKEN}` },
});
if (response.ok) {
  console.log(`token ${masked} accepted (HTTP ${response.status})`);
} else {
  const payload = (await response.json().catch(() => null)) ?? {};
  const code = payload.error?.code;
  const traceId = payload.trace_id ?? response.headers.get("X-Trace-ID");
  if (response.status === 401) {
    // The header is right, so the token is: ask your Linq representative for the current one.
    console.error(`token ${masked} refused (${code ?? 401}, trace_id ${traceId}): do not retry`);
  } else {
    console.error(`the token was accepted, but the read failed: ${code}, trace_id ${traceId}`);
  }
  process.exitCode = 1;
}
