// Upload a file with Linq's pre-upload flow (up to 100 MB; required above 10 MB): ask for an
// upload URL, then PUT the raw bytes with exactly the headers Linq returns, well within 15 minutes.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";

const BASE_URL = process.env.LINQ_API_V3_BASE_URL ?? "https://api.linqapp.com/api/partner";
const API_KEY = process.env.LINQ_API_V3_API_KEY;
const PATH = process.env.UPLOAD_FILE ?? "brochure.pdf"; // the file to send
const TYPES = { ".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png", ".mp4": "video/mp4" };

const content = await readFile(PATH);
const created = await fetch(`${BASE_URL}/v3/attachments`, {
  method: "POST",
  headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
  body: JSON.stringify({
    filename: basename(PATH),
    content_type: TYPES[extname(PATH).toLowerCase()] ?? "application/octet-stream",
    size_bytes: content.length, // must equal the bytes you PUT
  }),
});
const answer = await created.json().catch(() => ({}));
if (!created.ok) {
  console.error(`no upload URL: ${JSON.stringify(answer.error)}, trace_id ${answer.trace_id}`);
  process.exit(1);
}

// The raw bytes, not JSON or multipart, with every required header exactly as returned.
const uploaded = await fetch(answer.upload_url, {
  method: "PUT",
  headers: answer.required_headers,
  body: content,
});
if (!uploaded.ok) {
  console.error(`upload failed with HTTP ${uploaded.status}: start again with a new upload URL`);
  process.exit(1);
}
console.log(answer.attachment_id); // permanent: reuse it for every later send of this file
