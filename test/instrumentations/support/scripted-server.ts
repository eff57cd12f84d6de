/**
 * A scripted provider for the cases the fake provider does not play (a strict server, hostile
 * usage): a loopback HTTP server on an ephemeral port whose handler gets each request's JSON body.
 */
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startScriptedServer(
  answer: (body: Record<string, unknown>, res: ServerResponse) => void,
): Promise<ScriptedServer> {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => answer(JSON.parse(text) as Record<string, unknown>, res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.close();
      await once(server, 'close');
    },
  };
}
