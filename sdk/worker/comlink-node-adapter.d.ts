// comlink ships its Node adapter as ESM without a declaration next to it (only the UMD build has
// one, and under NodeNext its default export types as the module object). The shape, from
// comlink's src/node-adapter.ts, for the two Node endpoints we pass it:
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  import type { MessagePort, Worker } from 'node:worker_threads';
  export default function nodeEndpoint(nep: MessagePort | Worker): Endpoint;
}
