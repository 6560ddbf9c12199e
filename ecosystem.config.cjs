// PM2 app list, built from the YAML config: one app per enabled channel and one per worker.
// `aduan pm2-apps` does the reading, so PM2 sees exactly what `aduan doctor` validates.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const bin = path.join(__dirname, 'scripts', 'aduan.mjs');
const args = [bin, 'pm2-apps'];
if (process.env.ADUAN_CONFIG) args.push('--config', process.env.ADUAN_CONFIG);

module.exports = {
  apps: JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })),
};
