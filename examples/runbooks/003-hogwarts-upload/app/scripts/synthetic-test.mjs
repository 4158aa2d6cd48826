// STAND-IN for synthetic-test.js (runbook 003), over HTTP instead of a browser: log in as the test user,
// upload a file, expect the upload to succeed — the same path a user takes, against APP_URL.
const base = process.env.APP_URL;
const login = await fetch(new URL('/login', base), {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ email: 'test@school.databayt.org', password: process.env.SYNTHETIC_PASSWORD ?? 'TestPassword123!' }),
});
if (!login.ok) throw new Error(`login answered ${login.status}`);
const cookie = login.headers.get('set-cookie')?.split(';')[0];
const upload = await fetch(new URL('/api/upload', base), { method: 'POST', headers: { cookie }, body: Buffer.alloc(4096, 1) });
const result = await upload.json();
if (upload.status !== 201 || !result.uploaded) throw new Error(`upload answered ${upload.status}: ${JSON.stringify(result)}`);
console.log('All tests passed!');
