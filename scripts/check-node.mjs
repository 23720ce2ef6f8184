// Plain JavaScript on purpose: it runs before anything else (npm's preinstall and predata), on
// whatever Node is first on PATH, and says in one line what the project needs. Node strips the
// types of the project's .ts scripts by default only from 22.18.
import { fileURLToPath } from 'node:url';

export const NEEDED = '22.18';

/** Whether Node `version` ("22.12.0") is older than NEEDED. */
export function tooOld(version) {
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = NEEDED.split('.').map(Number);
  return major < needMajor || (major === needMajor && minor < needMinor);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && tooOld(process.versions.node)) {
  console.error(`Latent Lab needs Node.js ${NEEDED} or newer (24 LTS recommended, see .nvmrc); this is Node ${process.versions.node}.`);
  process.exit(1);
}
