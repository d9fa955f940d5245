/**
 * Node's crypto module and bcryptjs, loaded on first use: most renders call no crypto function,
 * and loading them at start costs every cold `kube-manifests template` several milliseconds.
 */
let crypto: typeof import('crypto') | undefined;
let bcrypt: typeof import('bcryptjs') | undefined;

export function nodeCrypto(): typeof import('crypto') {
  return (crypto ??= require('crypto') as typeof import('crypto'));
}

export function bcryptjs(): typeof import('bcryptjs') {
  return (bcrypt ??= require('bcryptjs') as typeof import('bcryptjs'));
}
