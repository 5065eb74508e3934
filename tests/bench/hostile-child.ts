// Child-process entry for the soak's hostile clients (tests/bench/soak.ts): attackers sit on
// other machines, so their own CPU work (encoding floods, opening storms of sockets) must not
// slow the process that times the honest editors. KT_BENCH_HOSTILE (JSON) names the server, the
// clients and the shared rooms; the parent's `stop` ends them and gets the closes they saw.
// The machine has two cores that the server and the honest editors need: the attackers' own
// process runs at the lowest priority, so what the figures show is what their traffic costs the
// server, not what their CPU costs the machine.
import { setPriority } from 'node:os';
import { startHostile, type HostileKind } from './soak-clients';

interface HostileConfig {
  url: string;
  hostile: { kind: HostileKind; accessToken: string }[];
  rooms: string[];
}

setPriority(19);
const config = JSON.parse(process.env.KT_BENCH_HOSTILE ?? '{}') as HostileConfig;
process.setMaxListeners(0);
const started = config.hostile.map((h, index) => startHostile(h.kind, config.url, h.accessToken, config.rooms, index));
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (typeof message !== 'object' || message === null || !('op' in message) || message.op !== 'stop') return;
  const closes: [string, number][] = [];
  for (const h of started) {
    h.stop();
    for (const [key, n] of h.closes) closes.push([`${h.kind}: ${key}`, n]);
  }
  process.send?.({ op: 'closes', closes }, () => process.exit(0));
});
process.send?.({ op: 'ready' });
