// STAND-IN for `npm run test:smoke -- --env=green`: the app, upload and CDN health endpoints answer 2xx.
// --env=green reaches the new version before it takes traffic (the header X-Gantry-Canary: 1).
const green = process.argv.includes('--env=green');
const headers = green ? { 'x-gantry-canary': '1' } : {};
for (const path of ['/api/health', '/api/upload/health', '/cdn/health']) {
  const response = await fetch(new URL(path, process.env.APP_URL), { headers });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  console.log(`${path}: ${response.status}${green ? ' (green)' : ''}`);
}
