// Check a media URL the way Linq fetches it, before sending it in a media part: public HTTPS with a
// valid certificate (5002, 5007), at most 10 MB (above that, pre-upload: 5005), a supported type
// (5004) that matches the URL's extension (5006), and bytes that really are that type.
const URL_TO_CHECK = process.env.MEDIA_URL ?? "https://example.com/files/brochure.pdf";
const LIMIT = 10 * 1024 * 1024; // media by URL; up to 100 MB goes through POST /v3/attachments
// A selection of the types Linq lists as supported (the attachments guide has them all); WebP and
// SVG are left out because Linq's pre-upload page rejects them although its type list names them.
const SUPPORTED = new Set([
  "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/tiff", "image/bmp",
  "video/mp4", "video/quicktime", "video/mpeg", "video/3gpp",
  "audio/mpeg", "audio/x-m4a", "audio/aac", "audio/x-wav", "audio/x-aiff", "audio/amr",
  "application/pdf", "text/plain", "text/csv", "text/vcard", "text/calendar", "application/zip",
]);
const BY_EXTENSION = {
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
  ".mp4": "video/mp4", ".mov": "video/quicktime", ".mp3": "audio/mpeg", ".m4a": "audio/x-m4a",
  ".pdf": "application/pdf", ".vcf": "text/vcard", ".ics": "text/calendar",
};
const SIGNATURES = { // how these files begin
  "image/jpeg": [0xff, 0xd8, 0xff],
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/gif": [0x47, 0x49, 0x46, 0x38],
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d],
};

async function readAtMost(response, limit) { // stops once the limit is passed
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks);
}

async function problemsWith(url) {
  const problems = [];
  if (new URL(url).protocol !== "https:") {
    problems.push("not HTTPS: Linq fetches media over HTTPS only (5002)");
  }
  let response;
  try {
    // No Authorization header: Linq fetches it without your credentials, so must anyone.
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const reason = error.cause?.code ?? error.cause?.message ?? error.message;
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(reason)) {
      return [...problems, `its certificate is not valid: ${reason} (5002)`];
    }
    return [...problems, `not reachable: ${reason} (5002, 5007)`];
  }
  if (!response.ok) {
    return [...problems, `the URL answers HTTP ${response.status}: it must be public (5002, 5007)`];
  }
  const served = response.headers.get("content-type") || "no Content-Type";
  const kind = served.split(";")[0].trim().toLowerCase();
  const content = await readAtMost(response, LIMIT);
  if (content.length > LIMIT) {
    problems.push("larger than 10 MB: pre-upload it with POST /v3/attachments (5005)");
  }
  if (!SUPPORTED.has(kind)) {
    problems.push(`${kind} is not among the supported types listed here (5004)`);
  }
  const path = new URL(url).pathname;
  const extension = path.includes(".") ? path.slice(path.lastIndexOf(".")).toLowerCase() : "";
  const expected = BY_EXTENSION[extension];
  if (expected && expected !== kind) {
    problems.push(`the extension ${extension} says ${expected}, the server says ${kind} (5006)`);
  }
  const signature = SIGNATURES[kind];
  if (signature && !signature.every((byte, i) => content[i] === byte)) {
    problems.push(`the bytes are not ${kind}, whatever the headers say (5006, 5007)`);
  }
  return problems;
}

const found = await problemsWith(URL_TO_CHECK);
if (found.length > 0) {
  console.error(`do not send this URL yet:\n- ${found.join("\n- ")}`);
  process.exitCode = 1;
} else {
  console.log(`ready to send: ${URL_TO_CHECK}`);
}
