/**
 * dist/template-worker.js: the render worker of `kube-manifests template`, started by
 * ./templateCommand.ts with a large stack when a render nests too deep for the main thread's. It loads the engine (dist/template-engine.js) through
 * V8's code cache (./codeCache.ts), waits for one request, posts back what the render printed,
 * then writes the cache if the engine was not loaded from it, and ends.
 */
import * as path from 'path';
import { isMainThread, parentPort } from 'worker_threads';
import { requireWithCodeCache } from './codeCache';
import { TEMPLATE_ENGINE_FILE, type TemplateRequest } from './templateCommand';

if (isMainThread || !parentPort) {
  process.stderr.write('kube-manifests: this is the render worker of "kube-manifests template"; run the command instead\n');
  process.exitCode = 2;
} else {
  const port = parentPort;
  const engine = requireWithCodeCache<typeof import('./templateEngine')>(path.join(__dirname, TEMPLATE_ENGINE_FILE));
  port.once('message', (request: TemplateRequest) => {
    port.postMessage(engine.exports.renderTemplate(request));
    engine.save();
    port.close();
  });
}
