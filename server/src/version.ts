/** The extension's version, from package.json (esbuild defines it; tests bundled without it say "dev"). */
declare const KUBE_MANIFESTS_VERSION: string | undefined;
export const VERSION: string = typeof KUBE_MANIFESTS_VERSION === 'string' ? KUBE_MANIFESTS_VERSION : 'dev';
