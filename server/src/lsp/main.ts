/**
 * Entry point of dist/server.js: creates the connection (--stdio, --node-ipc
 * or --socket, as the client asks) and hands it to the LSP layer.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
