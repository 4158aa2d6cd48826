// STAND-IN for `npm run env:check:prod`: the variables the production release needs are set.
const missing = ['DATABASE_URL', 'APP_URL'].filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`not set: ${missing.join(', ')}`);
  process.exit(1);
}
console.log('production environment: every variable is set');
