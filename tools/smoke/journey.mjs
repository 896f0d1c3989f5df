// One erasure request through a running DataRights (Development, development sign-in): submit, staff verify,
// staff approve, then wait for the request to complete and the completion email to be written. Exits 1 on failure.
const base = process.argv[2];
const person = "sam.patel.1@example.net"; // the demo CRM's person 1
const staff = { "X-DataRights-Dev-User": "Priya Officer", "Content-Type": "application/json" };
const deadline = Date.now() + 420_000;
const pause = ms => new Promise(r => setTimeout(r, ms));

async function until(what, probe) {
  while (Date.now() < deadline) {
    try { const value = await probe(); if (value) return value; } catch { /* not up yet */ }
    await pause(1000);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function status(id) {
  const r = await fetch(`${base}/api/admin/requests/${id}`, { headers: staff });
  return r.ok ? (await r.json()).status : undefined;
}

async function staffPost(path) {
  const r = await fetch(base + path, { method: "POST", headers: staff, body: JSON.stringify({ note: "Checked by the run command check" }) });
  if (!r.ok) throw new Error(`${path} answered ${r.status}`);
}

await until("the host to answer", async () => (await fetch(`${base}/healthz`)).ok);
const submitted = await fetch(`${base}/api/requests`, { method: "POST", headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ type: "erasure", email: person, fullName: "Sam Patel", jurisdiction: "UK" }) });
if (submitted.status !== 202) throw new Error(`submission answered ${submitted.status}`);
const mail = async () => (await (await fetch(`${base}/dev/mail.json`)).json());
const verification = async () => (await mail()).find(m => m.to === person && m.links.some(l => l.includes("/verify/")));
await until("the verification email", async () => (await verification()) !== undefined);
// The public answer is the same for every submission: the request's id comes with its verification email.
const id = (await verification()).requestId;
await staffPost(`/api/admin/requests/${id}/verify`);
await until("approval to be asked", async () => (await status(id)) === "awaiting_approval");
await staffPost(`/api/admin/requests/${id}/approve`);
await until("the request to complete", async () => (await status(id)) === "completed");
await until("the completion email", async () => (await mail()).some(m => m.to === person && m.subject.includes("is complete")));
console.log(`request ${id} completed`);
