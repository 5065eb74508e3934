// Prism (@stoplight/prism-cli, mock mode with --errors) as a contract checker for the ZGW
// adapter: copies Open Zaak's documenten.yaml / zaken.yaml from tests/fixtures/zgw/ into a temp
// folder with their one remote `$ref` rewritten to the local Catalogi 1.2.0 copy (never the
// network), starts Prism as a child process on a free port with a bounded start-up, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The OpenAPI files the tests use, kept in the repository (see its README). */
export const ZGW_SPECS = resolve(PROJECT_ROOT, 'tests/fixtures/zgw');
const REMOTE_CATALOGI = 'https://raw.githubusercontent.com/vng-Realisatie/catalogi-api/1.2.0/src/openapi.yaml';
const PRISM_BIN = join(PROJECT_ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');

export interface LocalSpecs {
  documenten: string;
  zaken: string;
  dispose(): void;
}

/** Open Zaak's specs with the remote Catalogi `$ref` pointed at the local copy; fails if any other remote `$ref` is left. */
export function prepareOpenZaakSpecs(): LocalSpecs {
  const dir = mkdtempSync(join(tmpdir(), 'kt-zgw-specs-'));
  const catalogi = join(ZGW_SPECS, 'vng-api-repos/catalogi-api-1.2.0.yaml');
  const out = (name: 'documenten' | 'zaken'): string => {
    const text = readFileSync(join(ZGW_SPECS, 'open-zaak', `${name}.yaml`), 'utf8');
    if (!text.includes(REMOTE_CATALOGI)) throw new Error(`${name}.yaml no longer refers to ${REMOTE_CATALOGI}; check the rewrite`);
    const local = text.split(REMOTE_CATALOGI).join(catalogi);
    const remote = /\$ref:\s*['"]?https?:/.exec(local);
    if (remote !== null) throw new Error(`${name}.yaml still has a remote $ref: ${local.slice(remote.index, remote.index + 120)}`);
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, local);
    return path;
  };
  return { documenten: out('documenten'), zaken: out('zaken'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningPrism {
  url: string;
  /** Everything Prism printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/** Starts `prism mock --errors` on `spec`; rejects when it is not listening within `timeoutMs`. */
export async function startPrism(spec: string, timeoutMs = 45_000): Promise<RunningPrism> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [PRISM_BIN, 'mock', '--errors', '--host', '127.0.0.1', '--port', String(port), spec], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`Prism did not start within ${timeoutMs} ms:\n${output.slice(-2_000)}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes('Prism is listening on')) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`Prism exited (${code}) before listening:\n${output.slice(-2_000)}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, output: () => output, stop };
}
