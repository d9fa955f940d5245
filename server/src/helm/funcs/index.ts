/**
 * Helm's function map: sprig's (minus `env` and `expandenv`), then Helm's own functions over it
 * (pkg/engine/funcs.go: toYaml, fromYaml, toJson, toToml, ..., lookup, getHostByName), and the
 * `required` and `fail` the engine binds. `include` and `tpl` are added per render by engine.ts.
 */
import { failFunc, requiredFunc } from '../engine';
import { FuncMap, GoMap } from '../value';
import { convFuncs } from './conv';
import { cryptoFuncs } from './crypto';
import { dateFuncs } from './dates';
import { defaultFuncs } from './defaults';
import { dictFuncs } from './dicts';
import { durationFuncs } from './durations';
import { FuncEnv, FuncFamily } from './env';
import { listFuncs } from './lists';
import { mathFuncs } from './math';
import { reflectFuncs } from './reflect';
import { semverFuncs } from './semver';
import { serializeFuncs } from './serialize';
import { stringFuncs } from './strings';

/** sprig.TxtFuncMap(), family by family. */
export const SPRIG_FAMILIES: readonly FuncFamily[] = [
  stringFuncs,
  cryptoFuncs,
  semverFuncs,
  convFuncs,
  mathFuncs,
  defaultFuncs,
  dictFuncs,
  listFuncs,
  reflectFuncs,
  dateFuncs,
];

/** The functions every Helm template sees, except `include` and `tpl`. */
export function helmFuncMap(env: FuncEnv): FuncMap {
  const m: FuncMap = new Map();
  for (const family of SPRIG_FAMILIES) family(m, env);
  m.delete('env');
  m.delete('expandenv');
  serializeFuncs(m, env);
  durationFuncs(m, env);
  m.set('lookup', {
    name: 'lookup',
    params: ['string', 'string', 'string', 'string'],
    result: 'map[string]interface {}',
    returnsError: true,
    // No cluster: Helm's `helm template` answers an empty map.
    fn: (): GoMap => ({}),
  });
  m.set('getHostByName', { name: 'getHostByName', params: ['string'], result: 'string', fn: () => '' });
  m.set('required', requiredFunc);
  m.set('fail', failFunc);
  return m;
}
