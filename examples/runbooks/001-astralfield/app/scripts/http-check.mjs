// STAND-IN for the team's smoke and critical-path suites: each path must answer 2xx at BASE_URL.
const base = process.env.BASE_URL;
for (const path of process.argv.slice(2)) {
  const response = await fetch(new URL(path, base));
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  console.log(`${path}: ${response.status}`);
}
