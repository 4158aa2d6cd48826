// STAND-IN for the team's smoke, critical-path and WebSocket tests: real requests to APP_URL (through
// gantry-proxy). SMOKE_HEADER=1 sends X-Gantry-Canary: 1, to reach the new version behind the maintenance page.
//   node smoke.mjs PATH…            each path must answer 2xx
//   node smoke.mjs --websocket PATH the path must accept a WebSocket upgrade (101)
import { request } from 'node:http';

const base = process.env.APP_URL;
const headers = process.env.SMOKE_HEADER === '1' ? { 'x-gantry-canary': '1' } : {};
const args = process.argv.slice(2);

function get(path, extra = {}) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: { ...headers, ...extra } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

if (args[0] === '--websocket') {
  const status = await get(args[1], {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-version': '13',
  });
  if (status !== 101) throw new Error(`${args[1]}: WebSocket upgrade answered ${status}`);
  console.log(`${args[1]}: WebSocket upgrade accepted`);
} else {
  for (const path of args) {
    const status = await get(path);
    if (status < 200 || status >= 300) throw new Error(`${path} answered ${status}`);
    console.log(`${path}: ${status}`);
  }
}
