// PM2 app list, built from the YAML config: one app per enabled channel and one per worker.
// `aduan pm2-apps` does the reading, so PM2 sees exactly what `aduan doctor` validates.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { existsSync } = require('node:fs');

const bin = path.join(__dirname, 'scripts', 'aduan.mjs');
const args = [bin, 'pm2-apps'];
// ADUAN_CONFIG, else this checkout's config/aduan.yaml — whatever directory `pm2 start` runs in (from
// another one, the cwd-relative lookup found no config and PM2 ran the demo gateway without a word)
const conventional = path.join(__dirname, 'config', 'aduan.yaml');
if (process.env.ADUAN_CONFIG) args.push('--config', process.env.ADUAN_CONFIG);
else if (existsSync(conventional)) args.push('--config', conventional);

module.exports = {
  apps: JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })),
};
