/**
 * Stands in for `child_process` in the server bundle (esbuild.mjs aliases it):
 * the server never runs a program (no kubectl, no helm, nothing from the
 * workspace), so it is safe in untrusted workspaces. vscode-languageserver
 * bundles helpers that can spawn npm or yarn to find global modules; we never
 * call them, and with this stub they could not run anything if something did.
 */
function refuse(): never {
  throw new Error('The Kube Manifests server never runs programs.');
}
export const spawn = refuse;
export const spawnSync = refuse;
export const fork = refuse;
export const exec = refuse;
export const execSync = refuse;
export const execFile = refuse;
export const execFileSync = refuse;
