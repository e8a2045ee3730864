/**
 * Drives Debian's Firefox (firefox-esr) over Marionette, Firefox's own remote protocol, which (unlike
 * WebDriver BiDi) can open the extension's own pages: the popup and the options page run as tabs.
 * See docs/testing-browsers.md.
 *
 * The protocol is TCP: every frame is `LENGTH:JSON` (LENGTH in bytes). Firefox greets first; a
 * command is `[0, id, name, params]`, its answer `[1, id, error, result]`.
 *
 * launchFirefox() starts Firefox headless with a throw-away profile (user.js: Marionette on a port of
 * Firefox's choosing, written to MarionetteActivePort, plus the caller's prefs), connects, and opens a
 * session that accepts the fake internet's self-signed certificate; close() ends Firefox and deletes
 * the profile.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREFOX } from './firefox';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Pref = string | number | boolean;

/** An error Firefox answered to a command (e.g. "no such element", "javascript error"). */
export class MarionetteError extends Error {
  constructor(
    readonly command: string,
    readonly error: string,
    message: string,
  ) {
    super(`Marionette ${command}: ${error}: ${message}`);
    this.name = 'MarionetteError';
  }
}

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** A reference to an element of the current page, as WebDriver returns it. */
export interface ElementRef {
  readonly [ELEMENT]: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isElementRef(value: unknown): value is ElementRef {
  return isObject(value) && typeof value[ELEMENT] === 'string';
}

function withCallSite<E extends Error>(error: E, callSite: string): E {
  error.stack = `${error.name}: ${error.message}\n${callSite}`;
  return error;
}

interface Pending {
  readonly command: string;
  /** Where the command was sent from, so a failure points at the test, not at the socket. */
  readonly callSite: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  readonly timer: NodeJS.Timeout;
}

/** One TCP connection speaking Marionette's framing. */
class Connection {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private greeted: ((frame: unknown) => void) | null = null;
  private closedWith: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(new Error(`Marionette connection: ${error.message}`)));
    socket.on('close', () => this.fail(new Error('Marionette connection closed (did Firefox exit?)')));
  }

  static open(port: number, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const connection = new Connection(socket);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`Marionette: no greeting on port ${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Marionette: cannot connect to port ${port}: ${error.message}`));
      });
      connection.greeted = (frame) => {
        clearTimeout(timer);
        if (isObject(frame) && frame.applicationType === 'gecko') resolve(connection);
        else {
          socket.destroy();
          reject(new Error(`Marionette: unexpected greeting ${JSON.stringify(frame)}`));
        }
      };
    });
  }

  send(command: string, params: Record<string, Json>, timeoutMs: number): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify([0, id, command, params]), 'utf8');
    const callSite = new Error().stack?.split('\n').slice(1).join('\n') ?? '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(withCallSite(new Error(`Marionette ${command}: no answer within ${timeoutMs} ms`), callSite));
      }, timeoutMs);
      this.pending.set(id, { command, callSite, resolve, reject, timer });
      this.socket.write(Buffer.concat([Buffer.from(`${payload.length}:`), payload]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a); // ':'
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isSafeInteger(length) || length < 0) {
        this.fail(new Error('Marionette: malformed frame header'));
        this.socket.destroy();
        return;
      }
      if (this.buffer.length < colon + 1 + length) return;
      const body = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(colon + 1 + length);
      let frame: unknown;
      try {
        frame = JSON.parse(body);
      } catch {
        this.fail(new Error('Marionette: a frame is not JSON'));
        return;
      }
      this.onFrame(frame);
    }
  }

  private onFrame(frame: unknown): void {
    if (this.greeted) {
      const greeted = this.greeted;
      this.greeted = null;
      greeted(frame);
      return;
    }
    if (!Array.isArray(frame) || frame[0] !== 1 || typeof frame[1] !== 'number') return;
    const pending = this.pending.get(frame[1]);
    if (!pending) return; // answered after its timeout
    this.pending.delete(frame[1]);
    clearTimeout(pending.timer);
    const error: unknown = frame[2];
    if (error === null || error === undefined) {
      pending.resolve(frame[3]);
    } else {
      const e = isObject(error) ? error : {};
      pending.reject(
        withCallSite(
          new MarionetteError(
            pending.command,
            typeof e.error === 'string' ? e.error : 'error',
            typeof e.message === 'string' ? e.message : JSON.stringify(error),
          ),
          pending.callSite,
        ),
      );
    }
  }

  private fail(error: Error): void {
    this.closedWith ??= error;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(withCallSite(new Error(error.message), pending.callSite));
    }
  }
}

export interface Firefox {
  /** Sends one command and returns its result (errors are thrown as MarionetteError). */
  command(name: string, params?: Record<string, Json>, timeoutMs?: number): Promise<unknown>;
  /** Installs an unpacked build as a temporary add-on; returns its id. */
  installAddon(path: string): Promise<string>;
  /**
   * Runs `script` (a function body: `arguments`, `return`; a returned promise is awaited) in the
   * current tab ('content') or in the browser window with the system principal ('chrome').
   */
  execute(script: string, args?: Json[], context?: 'content' | 'chrome'): Promise<unknown>;
  /**
   * Opens `url` in a new tab (from chrome context with the system principal, so moz-extension://
   * pages open too), selects it, makes it the current tab and waits until it has loaded.
   */
  openTab(url: string, timeoutMs?: number): Promise<void>;
  /** The first element matching `css` in the current tab, waiting for it up to `timeoutMs`. */
  find(css: string, timeoutMs?: number): Promise<ElementRef>;
  /** Clicks the element like a user (scrolled into view, real mouse events). */
  click(element: ElementRef): Promise<void>;
  /** Types `text` into the element like a user (focus, key events; '\uE004' is Tab). */
  type(element: ElementRef, text: string): Promise<void>;
  /** Polls a content script until it returns true; throws naming `what` after `timeoutMs`. */
  waitFor(what: string, script: string, args?: Json[], timeoutMs?: number): Promise<void>;
  /** Ends Firefox (gracefully, then killed) and deletes the profile. Safe to call twice. */
  close(): Promise<void>;
}

const COMMAND_TIMEOUT_MS = 30_000;

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function prefLine(name: string, value: Pref): string {
  return `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`;
}

/** Waits for Firefox to write the port Marionette listens on (marionette.port 0: its choice). */
async function activePort(profile: string, child: ChildProcess, log: () => string, timeoutMs: number) {
  const file = join(profile, 'MarionetteActivePort');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Firefox exited at start (${child.exitCode ?? child.signalCode}):\n${log()}`);
    }
    const text = existsSync(file) ? (await readFile(file, 'utf8').catch(() => '')).trim() : '';
    const port = Number(text);
    if (text !== '' && Number.isInteger(port) && port > 0) return port;
    if (Date.now() > deadline) {
      throw new Error(`Firefox did not start Marionette within ${timeoutMs} ms:\n${log()}`);
    }
    await sleep(100);
  }
}

/** Starts Firefox headless with a fresh profile and `prefs`, and opens a Marionette session. */
export async function launchFirefox(
  opts: { prefs?: Readonly<Record<string, Pref>>; startTimeoutMs?: number } = {},
): Promise<Firefox> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: install it with "apt-get install -y firefox-esr"`);
  }
  const startTimeoutMs = opts.startTimeoutMs ?? 45_000;
  const profile = await mkdtemp(join(tmpdir(), 'detour-e2e-marionette-'));
  const prefs: Record<string, Pref> = {
    'marionette.port': 0,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    ...opts.prefs,
  };
  await writeFile(
    join(profile, 'user.js'),
    `${Object.entries(prefs)
      .map(([k, v]) => prefLine(k, v))
      .join('\n')}\n`,
  );

  let output = '';
  const child = spawn(
    FIREFOX,
    ['--headless', '--marionette', '-remote-allow-system-access', '--no-remote', '--profile', profile],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const log = () => output.trim().split('\n').slice(-15).join('\n');
  // Should the test process end without close(), Firefox does not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let connection: Connection | null = null;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (connection && child.exitCode === null) {
        // Quits at once, without "are you sure" prompts; killed if it does not go.
        await connection.send('Marionette:Quit', { flags: ['eForceQuit'] }, 5_000).catch(() => undefined);
      }
      connection?.close();
      const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
      process.removeListener('exit', killOnExit);
      await rm(profile, { recursive: true, force: true });
    })();
    return closing;
  };

  try {
    const port = await activePort(profile, child, log, startTimeoutMs);
    connection = await Connection.open(port, 10_000);
    // Flat, not under `capabilities`: the fake internet's self-signed certificate is accepted, by the
    // add-on's fetches too.
    await connection.send('WebDriver:NewSession', { acceptInsecureCerts: true }, startTimeoutMs);
  } catch (error) {
    await close();
    throw error;
  }
  const conn = connection;

  const command = (name: string, params: Record<string, Json> = {}, timeoutMs = COMMAND_TIMEOUT_MS) =>
    conn.send(name, params, timeoutMs);

  let context: 'content' | 'chrome' = 'content';
  const setContext = async (value: 'content' | 'chrome') => {
    if (context === value) return;
    await command('Marionette:SetContext', { value });
    context = value;
  };

  const resultValue = (result: unknown): unknown => (isObject(result) ? result.value : undefined);

  const execute = async (script: string, args: Json[] = [], where: 'content' | 'chrome' = 'content') => {
    await setContext(where);
    try {
      return resultValue(await command('WebDriver:ExecuteScript', { script, args }));
    } finally {
      await setContext('content');
    }
  };

  const waitFor = async (what: string, script: string, args: Json[] = [], timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        if ((await execute(script, args)) === true) return;
      } catch (error) {
        // A page still loading (or navigating) can refuse a script for a moment.
        last = error;
      }
      if (Date.now() > deadline) {
        const why = last instanceof Error ? ` (last error: ${last.message})` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
      }
      await sleep(100);
    }
  };

  const openTab = async (url: string, timeoutMs = 15_000) => {
    await execute(
      `const [url] = arguments;
       const gBrowser = Services.wm.getMostRecentWindow('navigator:browser').gBrowser;
       const tab = gBrowser.addTab(url, {
         triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
       });
       gBrowser.selectedTab = tab;`,
      [url],
      'chrome',
    );
    const deadline = Date.now() + timeoutMs;
    let found = false;
    while (!found) {
      const handles = await command('WebDriver:GetWindowHandles');
      for (const handle of Array.isArray(handles) ? handles : []) {
        if (typeof handle !== 'string') continue;
        try {
          await command('WebDriver:SwitchToWindow', { handle, focus: true });
          found = resultValue(await command('WebDriver:GetCurrentURL')) === url;
        } catch (error) {
          // A tab closed since the list was taken (Detour closes its own tabs at times).
          if (!(error instanceof MarionetteError && error.error === 'no such window')) throw error;
        }
        if (found) break;
      }
      if (!found) {
        if (Date.now() > deadline) throw new Error(`no tab showing ${url} within ${timeoutMs} ms`);
        await sleep(100);
      }
    }
    await waitFor(`${url} to load`, "return document.readyState === 'complete';", [], timeoutMs);
  };

  const find = async (css: string, timeoutMs = 15_000): Promise<ElementRef> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const found = resultValue(
          await command('WebDriver:FindElement', { using: 'css selector', value: css }),
        );
        if (isElementRef(found)) return found;
        throw new Error(`Marionette WebDriver:FindElement: unexpected answer ${JSON.stringify(found)}`);
      } catch (error) {
        if (!(error instanceof MarionetteError && error.error === 'no such element')) throw error;
        if (Date.now() > deadline) throw new Error(`no element matches ${css} within ${timeoutMs} ms`);
      }
      await sleep(100);
    }
  };

  return {
    command,
    async installAddon(path) {
      const id = resultValue(await command('Addon:Install', { path, temporary: true }));
      if (typeof id !== 'string') throw new Error(`Addon:Install answered no id for ${path}`);
      return id;
    },
    execute,
    openTab,
    find,
    async click(element) {
      await command('WebDriver:ElementClick', { id: element[ELEMENT] });
    },
    async type(element, text) {
      await command('WebDriver:ElementSendKeys', { id: element[ELEMENT], text });
    },
    waitFor,
    close,
  };
}
