import autocannon from "autocannon";
const url = "http://127.0.0.1:47125";
const tokens = [];
for (let i = 0; i < 8; i++) { const r = await fetch(url + "/auth/signup", { method: "POST", headers: { "content-type": "application/json", "st-auth-mode": "header" }, body: JSON.stringify({ formFields: [{ id: "email", value: `u${i}-${Date.now()}@example.com` }, { id: "password", value: "password123" }] }) }); tokens.push(r.headers.get("st-access-token")); }
const run = (path, d) => autocannon({ url: url + path, connections: 32, duration: d, headers: { authorization: `Bearer ${tokens[0]}` } });
const path = process.argv[2]; await run(path, 2);
const r = await run(path, Number(process.argv[3] ?? 10));
console.log(path, "req/s", r.requests.average, "non2xx", r.non2xx);
