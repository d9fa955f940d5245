/**
 * kubeManifests/documentInfo: what the client's status item shows for the
 * active editor (the objects of the file and the version checked against).
 */
import { RequestType } from 'vscode-languageserver';
import { FeatureRegistration } from './context';

export interface DocumentInfoParams {
  uri: string;
}
export interface DocumentInfo {
  objects: Array<{ apiVersion?: string; kind?: string; name?: string }>;
  kubernetesVersion: string;
  /** False when the file is not a manifest, or has `# kube-manifests: off`. */
  checked: boolean;
}
export const DocumentInfoRequest = new RequestType<DocumentInfoParams, DocumentInfo | null, void>('kubeManifests/documentInfo');

export const registerDocumentInfo: FeatureRegistration = (ctx) => {
  ctx.connection.onRequest(DocumentInfoRequest, async (params) => {
    const doc = ctx.documents.get(params.uri);
    if (!doc) return null;
    const settings = await ctx.settingsFor(doc.uri);
    const file = ctx.fileOf(doc);
    const objects = file.sections.flatMap((s) => s.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })));
    return { objects, kubernetesVersion: settings.kubernetesVersion, checked: !file.disabled && ctx.ls.isManifest(file) };
  });
  return {};
};
